"""The outbox page: with no mail server, admins read every message and follow its links."""

from __future__ import annotations

from hackathon.extensions import db
from hackathon.mail import queue_mail
from tests.factories import make_user


def _message():
    message = queue_mail(
        "new@example.test",
        "초대합니다",
        "Set your password: http://127.0.0.1:5000/invite/abc123\n",
        '<p>Set your password: <a href="http://127.0.0.1:5000/invite/abc123">link</a></p>'
        "<script>alert(1)</script>",
        kind="invitation",
    )
    db.session.commit()
    return message


def test_admins_read_the_outbox_and_its_links(app, client, login):
    admin = make_user(email="admin@example.test", is_admin=True)
    db.session.commit()
    message = _message()
    login(admin)
    listing = client.get("/admin/mail")
    assert listing.status_code == 200
    assert "초대합니다" in listing.get_data(as_text=True)
    page = client.get(f"/admin/mail/{message.id}")
    body = page.get_data(as_text=True)
    assert 'href="http://127.0.0.1:5000/invite/abc123"' in body
    assert "<script>alert(1)</script>" not in body


def test_the_outbox_is_hidden_from_everyone_else(app, client, login):
    user = make_user(email="someone@example.test")
    db.session.commit()
    message = _message()
    assert client.get("/admin/mail").status_code == 404
    login(user)
    assert client.get("/admin/mail").status_code == 404
    assert client.get(f"/admin/mail/{message.id}").status_code == 404


def test_admins_find_a_message_by_address(app, client, login):
    admin = make_user(email="admin@example.test", is_admin=True)
    db.session.commit()
    _message()
    queue_mail("other@example.test", "Results", "Text", kind="notification.results")
    db.session.commit()
    login(admin)
    found = client.get("/admin/mail?q=NEW@example").get_data(as_text=True)
    assert "new@example.test" in found
    assert "other@example.test" not in found

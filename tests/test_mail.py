"""The outbox against a real SMTP server on loopback: written with the action, sent after
commit, kept while the server is down, delivered exactly once when it is back."""

from __future__ import annotations

from sqlalchemy import select

from hackathon.extensions import db
from hackathon.jobs import wait_idle
from hackathon.mail import MailStatus, OutboxMessage, deliver_pending, queue_mail


def _queue(to: str = "someone@example.test", subject: str = "Hello") -> OutboxMessage:
    return queue_mail(to, subject, "Plain text", "<p>HTML</p>", kind="test")


def test_a_message_is_sent_after_commit_with_both_parts(app, smtp_server):
    _queue(subject="Welcome")
    db.session.commit()
    wait_idle(app)
    [received] = smtp_server.to("someone@example.test")
    assert received["Subject"] == "Welcome"
    assert smtp_server.text(received).strip() == "Plain text"
    assert received.get_body(preferencelist=("html",)) is not None
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == MailStatus.SENT
    assert received["Message-ID"] == row.message_id


def test_a_rolled_back_action_leaves_no_message(app, smtp_server):
    _queue()
    db.session.rollback()
    wait_idle(app)
    assert db.session.scalar(select(OutboxMessage)) is None
    assert smtp_server.messages == []


def test_server_down_keeps_messages_pending_then_sends_each_once(app, smtp_server):
    runner = app.test_cli_runner()
    smtp_server.stop()
    for n in range(3):
        _queue(to=f"p{n}@example.test")
    db.session.commit()
    wait_idle(app)
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {r.status for r in rows} == {MailStatus.PENDING}
    assert all(r.last_error for r in rows)

    down = runner.invoke(args=["mail", "send"])
    assert down.exit_code != 0
    db.session.expire_all()
    assert {r.status for r in db.session.scalars(select(OutboxMessage))} == {MailStatus.PENDING}

    smtp_server.start()
    up = runner.invoke(args=["mail", "send"])
    assert up.exit_code == 0, up.output
    again = runner.invoke(args=["mail", "send"])
    assert again.exit_code == 0
    for n in range(3):
        assert len(smtp_server.to(f"p{n}@example.test")) == 1


def test_a_claimed_message_is_not_sent_by_a_second_sender(app, smtp_server):
    smtp_server.stop()
    message = _queue()
    db.session.commit()
    wait_idle(app)
    smtp_server.start()
    # Another sender holds the claim: this one leaves the row alone.
    message = db.session.get(OutboxMessage, message.id)
    message.status = MailStatus.SENDING
    db.session.commit()
    assert deliver_pending(due_only=False).sent == 0
    assert smtp_server.messages == []


def test_without_a_mail_server_messages_stay_in_the_outbox(app):
    runner = app.test_cli_runner()
    assert app.config["MAIL_URL"] is None
    _queue()
    db.session.commit()
    wait_idle(app)
    assert db.session.scalar(select(OutboxMessage.status)) == MailStatus.PENDING
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code != 0
    assert "MAIL_URL" in result.output


def test_a_bad_mail_url_is_recorded_and_counts_as_an_attempt(app, smtp_server):
    message = _queue()
    db.session.commit()
    wait_idle(app)
    smtp_server.stop()
    message = db.session.get(OutboxMessage, message.id)
    message.status = MailStatus.PENDING
    db.session.commit()
    app.config["MAIL_URL"] = "smtp://127.0.0.1:not-a-port"
    result = deliver_pending(due_only=False)
    assert result.failed == 1
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message.id)
    assert row.status == MailStatus.PENDING  # not left claimed
    assert row.last_error

"""The organizers' people page: the list, adding one person, taking a role away,
invitations sent again, and a roster file through its preview to its confirmation."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from hackathon.accounts.models import AccountToken, TokenPurpose, User
from hackathon.db import utcnow
from hackathon.events.models import EventRole
from hackathon.extensions import db
from hackathon.mail import MailStatus, OutboxMessage
from tests.factories import grant, make_company, make_event, make_user

HEADER = "email,name,role,team,track,company,skills"
GOOD = [
    HEADER,
    "kim.minjun@example.test,김민준,participant,,,,python",
    "lee.seoyeon@example.test,이서연,participant,,,,",
    "park.jiho@example.test,박지호,judge,,,한빛데이터,",
    "park.jiho@example.test,박지호,mentor,,,한빛데이터,",
]
EN = {"Accept-Language": "en"}


def csv_bytes(lines, encoding="cp949") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def without_password(email: str, name: str | None = None) -> User:
    user = make_user(email, name)
    user.password_hash = None
    db.session.commit()
    return user


@pytest.fixture
def event(app):
    return make_event("spring-hack", name="봄 해커톤", name_en="Spring hack")


@pytest.fixture
def organizer(event):
    user = make_user("organizer@example.test", "운영자", locale="en")
    grant(event, user, "organizer")
    return user


@pytest.fixture
def signed_in(client, login, organizer):
    login(organizer)
    client.get("/events/spring-hack/people")  # a page of the event: a fresh CSRF token
    return client


def upload(client, data: bytes, filename: str = "roster.csv"):
    return client.form_post(
        "/events/spring-hack/people/upload",
        {"roster-file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def preview_url(response) -> str:
    assert response.status_code == 302, response.text[:1000]
    location = response.headers["Location"]
    assert re.fullmatch(r"/events/spring-hack/people/upload/[A-Za-z0-9_-]{32}", location)
    return location


# Who may see the people page


PEOPLE_URLS = [
    ("get", "/events/spring-hack/people"),
    ("post", "/events/spring-hack/people"),
    ("post", "/events/spring-hack/people/{user}/roles/participant/remove"),
    ("post", "/events/spring-hack/people/{user}/invite"),
    ("post", "/events/spring-hack/people/upload"),
    ("get", "/events/spring-hack/people/upload/" + "a" * 32),
    ("post", "/events/spring-hack/people/upload/" + "a" * 32),
    ("post", "/events/spring-hack/people/requests/{request}"),
]


@pytest.mark.parametrize(
    "who", ["participant", "judge", "mentor", "company_rep", "nobody", "other"]
)
def test_non_organizers_get_404_on_every_people_url(client, login, event, organizer, who):
    from hackathon.events.models import RegistrationRequest

    member = without_password("member@example.test")
    grant(event, member, "participant")
    asking = make_user("asking@example.test")
    request = RegistrationRequest(event_id=event.id, user_id=asking.id, message="")
    db.session.add(request)
    db.session.commit()
    user = make_user("visitor@example.test")
    if who == "other":  # organizes another event
        grant(make_event("other-hack"), user, "organizer")
    elif who != "nobody":
        grant(event, user, who)
    login(user)
    roles = count(EventRole)
    for method, template in PEOPLE_URLS:
        url = template.format(user=member.id, request=request.id)
        if method == "get":
            response = client.get(url)
        else:
            client.get("/")
            response = client.form_post(url, {"add-email": "x@example.test", "decision": "accept"})
        assert response.status_code == 404, (url, response.status_code)
    assert count(EventRole) == roles
    assert count(AccountToken) == 0
    assert db.session.get(RegistrationRequest, request.id).state == "pending"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, event):
    response = client.get("/events/spring-hack/people")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_event_page_links_organizers_to_the_people_page(client, login, event, organizer):
    participant = make_user()
    grant(event, participant, "participant")
    login(participant)
    assert "/events/spring-hack/people" not in client.get("/events/spring-hack").text
    login(organizer)
    assert "/events/spring-hack/people" in client.get("/events/spring-hack").text


# The list


def test_the_list_shows_roles_companies_access_and_the_last_mail(signed_in, event):
    hanbit = make_company("한빛데이터")
    member = make_user("member@example.test", "김회원")
    grant(event, member, "participant")
    judge = without_password("judge@example.test", "박심사")
    grant(event, judge, "judge", hanbit)
    grant(event, judge, "mentor", hanbit)
    invited = without_password("invited@example.test", "이초대")
    grant(event, invited, "participant")
    db.session.add(
        AccountToken(
            user_id=invited.id,
            purpose=TokenPurpose.INVITE,
            token_hash="1" * 64,
            expires_at=utcnow() + timedelta(days=3),
        )
    )
    for user, status, error in [
        (judge, MailStatus.FAILED, "SMTPRecipientsRefused: 550 mailbox unavailable"),
        (invited, MailStatus.SENT, ""),
    ]:
        db.session.add(
            OutboxMessage(
                kind="account.invitation",
                to_address=user.email,
                to_user_id=user.id,
                event_id=event.id,
                subject="s",
                text_body="t",
                message_id=f"<{user.id}@example.test>",
                status=status,
                last_error=error,
                sent_at=utcnow() if status == MailStatus.SENT else None,
            )
        )
    db.session.commit()

    page = signed_in.get("/events/spring-hack/people", headers=EN)
    assert page.status_code == 200
    html = page.text
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<tr data-person="([^"]+)">(.*?)</tr>', html, re.S)
    }
    assert set(rows) == {
        "member@example.test",
        "judge@example.test",
        "invited@example.test",
        "organizer@example.test",
    }
    assert "Has a password" in rows["member@example.test"]
    judge_row = rows["judge@example.test"]
    assert 'data-role="judge"' in judge_row
    assert 'data-role="mentor"' in judge_row
    assert "한빛데이터" in judge_row
    assert "Not invited" in judge_row
    assert 'data-mail="failed"' in judge_row
    assert "550 mailbox unavailable" in judge_row
    assert "Invited" in rows["invited@example.test"]
    assert 'data-mail="sent"' in rows["invited@example.test"]

    judges = signed_in.get("/events/spring-hack/people?role=judge").text
    assert 'data-person="judge@example.test"' in judges
    assert 'data-person="member@example.test"' not in judges
    found = signed_in.get("/events/spring-hack/people?q=INVITED@").text
    assert re.findall(r'data-person="([^"]+)"', found) == ["invited@example.test"]
    by_name = signed_in.get("/events/spring-hack/people?q=김회").text
    assert re.findall(r'data-person="([^"]+)"', by_name) == ["member@example.test"]


# Adding one person


def test_adding_a_person_explains_each_bad_field_and_writes_nothing(signed_in, event):
    before = (count(User), count(EventRole))
    response = signed_in.form_post(
        "/events/spring-hack/people",
        {
            "add-email": "not-an-address",
            "add-name": "김민준",
            "add-role": "participant",
            "add-company": "한빛",
        },
        headers=EN,
    )
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in response.text
    assert "Only judges, mentors and company representatives have a company here." in response.text
    response = signed_in.form_post(
        "/events/spring-hack/people",
        {"add-email": "ok@example.test", "add-name": "", "add-role": "wizard"},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.text
    assert (count(User), count(EventRole)) == before


def test_adding_a_person_creates_the_account_and_invites_them(signed_in, event, app):
    response = signed_in.form_post(
        "/events/spring-hack/people",
        {
            "add-email": "Park.Jiho@Example.test",
            "add-name": "박지호",
            "add-role": "judge",
            "add-company": "한빛데이터",
            "add-invite": "y",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    user = db.session.scalar(select(User).where(User.email == "park.jiho@example.test"))
    assert user.name == "박지호"
    assert user.password_hash is None
    [role] = db.session.scalars(select(EventRole).where(EventRole.user_id == user.id))
    assert (role.role, role.company.name) == ("judge", "한빛데이터")
    [mail] = db.session.scalars(select(OutboxMessage))
    assert (mail.kind, mail.to_user_id, mail.event_id) == ("account.invitation", user.id, event.id)
    assert count(AccountToken) == 1

    again = signed_in.form_post(
        "/events/spring-hack/people",
        {"add-email": "park.jiho@example.test", "add-name": "박지호", "add-role": "judge"},
        headers=EN,
    )
    assert again.status_code == 409
    assert "This person has this role already." in again.text
    mentor = signed_in.form_post(
        "/events/spring-hack/people",
        {
            "add-email": "park.jiho@example.test",
            "add-name": "Other",
            "add-role": "mentor",
            "add-invite": "y",
        },
    )
    assert mentor.status_code == 302
    db.session.expire_all()
    assert user.name == "박지호"  # an existing account keeps its name
    assert count(EventRole) == 3
    assert count(OutboxMessage) == 1  # the pending invitation is not sent twice


def test_adding_without_the_invitation_box_sends_nothing(signed_in, event):
    response = signed_in.form_post(
        "/events/spring-hack/people",
        {"add-email": "quiet@example.test", "add-name": "조용", "add-role": "participant"},
    )
    assert response.status_code == 302
    assert count(OutboxMessage) == 0


# Taking a role away


def test_removing_a_role_keeps_the_others(signed_in, event):
    person = make_user("two@example.test")
    grant(event, person, "judge")
    grant(event, person, "mentor")
    response = signed_in.form_post(f"/events/spring-hack/people/{person.id}/roles/judge/remove")
    assert response.status_code == 302
    roles = set(db.session.scalars(select(EventRole.role).where(EventRole.user_id == person.id)))
    assert roles == {"mentor"}
    missing = signed_in.form_post(f"/events/spring-hack/people/{person.id}/roles/judge/remove")
    assert missing.status_code == 404


def test_the_last_organizer_stays(signed_in, event, organizer):
    response = signed_in.form_post(
        f"/events/spring-hack/people/{organizer.id}/roles/organizer/remove", headers=EN
    )
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"], headers=EN).text
    assert "An event keeps at least one organizer." in page
    assert count(EventRole) == 1


# Invitations sent again


def test_a_new_invitation_kills_the_old_link(signed_in, event):
    person = without_password("again@example.test")
    grant(event, person, "participant")
    first = signed_in.form_post(f"/events/spring-hack/people/{person.id}/invite")
    assert first.status_code == 302
    [old] = db.session.scalars(select(AccountToken))
    assert old.revoked_at is None
    second = signed_in.form_post(f"/events/spring-hack/people/{person.id}/invite")
    assert second.status_code == 302
    db.session.expire_all()
    tokens = db.session.scalars(select(AccountToken).order_by(AccountToken.id)).all()
    assert len(tokens) == 2
    assert tokens[0].revoked_at is not None
    assert tokens[1].revoked_at is None
    assert tokens[1].token_hash != tokens[0].token_hash
    assert count(OutboxMessage) == 2


def test_someone_with_a_password_is_not_invited(signed_in, event):
    person = make_user("member@example.test")
    grant(event, person, "participant")
    response = signed_in.form_post(f"/events/spring-hack/people/{person.id}/invite", headers=EN)
    assert response.status_code == 302
    assert "signs in as usual" in signed_in.get(response.headers["Location"], headers=EN).text
    assert count(AccountToken) == 0
    assert count(OutboxMessage) == 0


def test_a_person_of_another_event_cannot_be_invited_from_here(signed_in, event):
    stranger = without_password("stranger@example.test")
    grant(make_event("other-hack"), stranger, "participant")
    response = signed_in.form_post(f"/events/spring-hack/people/{stranger.id}/invite")
    assert response.status_code == 404
    assert count(AccountToken) == 0


# A roster file: preview, then confirmation


def test_bad_rows_are_named_in_the_preview_and_nothing_is_written(signed_in, event):
    lines = [*GOOD]
    lines[2] = "lee.seoyeon@example.test,이서연,wizard,,,,"
    lines[3] = "park.jiho-at-example.test,박지호,judge,,,한빛데이터,"
    before = (count(User), count(EventRole))
    url = preview_url(upload(signed_in, csv_bytes(lines)))
    page = signed_in.get(url, headers=EN)
    assert page.status_code == 422
    problems = dict(re.findall(r'<li data-row="(\d+)">(.*?)</li>', page.text))
    assert set(problems) == {"3", "4"}
    assert "wizard" in problems["3"]
    assert problems["3"].startswith("row 3:")
    assert "park.jiho-at-example.test" in problems["4"]
    assert "Import the roster" not in page.text
    # Confirming a file with problems writes nothing either.
    confirm = signed_in.form_post(url, {"invite": "y"})
    assert confirm.status_code == 422
    assert (count(User), count(EventRole)) == before
    assert count(OutboxMessage) == 0


def test_the_fixed_file_previews_its_changes_then_imports_and_invites(signed_in, event):
    already = make_user("park.jiho@example.test", "박지호")
    grant(event, already, "judge")
    url = preview_url(upload(signed_in, csv_bytes(GOOD)))
    page = signed_in.get(url)
    assert page.status_code == 200
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page.text))
    assert counts == {
        "rows": "4",
        "people_created": "2",
        "people_updated": "0",
        "roles_added": "3",
        "roles_updated": "1",  # the judge's employer is new
        "unchanged": "0",
    }
    assert count(User) == 2  # the preview wrote nothing
    response = signed_in.form_post(url, {"invite": "y"})
    assert response.status_code == 302, response.text[:2000]
    done = signed_in.get(response.headers["Location"]).text
    assert "3 created, 1 updated, 0 unchanged" in done  # what the preview said
    assert "2 people invited." in done
    assert count(User) == 4
    assert count(EventRole) == 5
    invited = set(db.session.scalars(select(OutboxMessage.to_address)))
    assert invited == {"kim.minjun@example.test", "lee.seoyeon@example.test"}
    # The upload is used up: the same page cannot import it twice.
    gone = signed_in.get(url)
    assert gone.status_code == 302


def test_the_confirmation_imports_the_file_kept_on_the_server(signed_in, event):
    url = preview_url(upload(signed_in, csv_bytes(GOOD[:2])))
    signed_in.get(url)
    other = csv_bytes([HEADER, "intruder@example.test,침입자,organizer,,,,"])
    response = signed_in.form_post(
        url,
        {"file": (io.BytesIO(other), "x.csv"), "email": "intruder@example.test"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert set(db.session.scalars(select(User.email))) == {
        "organizer@example.test",
        "kim.minjun@example.test",
    }
    assert count(OutboxMessage) == 0  # the box was not ticked


def test_another_organizers_upload_cannot_be_used(client, login, signed_in, event):
    url = preview_url(upload(signed_in, csv_bytes(GOOD)))
    colleague = make_user("colleague@example.test")
    grant(event, colleague, "organizer")
    login(colleague)
    assert client.get(url).status_code == 302
    client.get("/events/spring-hack/people")
    assert client.form_post(url, {"invite": "y"}).status_code == 302
    assert count(User) == 2


def test_an_expired_upload_is_refused(signed_in, event, monkeypatch):
    from hackathon.events.services import roster_files

    url = preview_url(upload(signed_in, csv_bytes(GOOD)))
    monkeypatch.setattr(roster_files, "UPLOAD_LIFETIME", timedelta(seconds=-1))
    response = signed_in.form_post(url, {"invite": "y"}, headers=EN)
    assert response.status_code == 302
    assert "expired" in signed_in.get(response.headers["Location"], headers=EN).text
    assert count(User) == 1


def test_an_excel_roster_with_korean_names_goes_through_the_preview(signed_in, event):
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD:
        sheet.append(line.split(","))
    data = io.BytesIO()
    book.save(data)
    url = preview_url(upload(signed_in, data.getvalue(), "명단.xlsx"))
    page = signed_in.get(url)
    assert page.status_code == 200
    assert 'data-count="people_created">3<' in page.text
    assert signed_in.form_post(url, {}).status_code == 302  # invitations not ticked
    assert set(db.session.scalars(select(User.name))) == {"운영자", "김민준", "이서연", "박지호"}
    assert count(OutboxMessage) == 0


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        ("roster.xlsx", b"email,name,role\r\n", "not a real Excel workbook"),
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Excel file"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "neither CSV nor"),
    ],
)
def test_a_file_that_is_not_a_roster_is_refused_on_the_page(signed_in, event, filename, data, says):
    response = upload(signed_in, data, filename)
    assert response.status_code == 422
    assert says in response.text
    assert count(User) == 1


def test_uploading_nothing_asks_for_a_file(signed_in, event):
    response = signed_in.form_post("/events/spring-hack/people/upload", {}, headers=EN)
    assert response.status_code == 422
    assert "Choose a file to upload." in response.text


def test_a_disabled_account_is_never_invited(app):
    from hackathon.events.services.invitations import due_invitation
    from tests.factories import make_user as _make_user

    person = _make_user("gone@example.test", disabled=True)
    person.password_hash = None
    assert due_invitation(person) is False

"""Helpers for the tests of mailed links: the people they go to, the mail that arrives at
the test SMTP server and the links in it, and pages compared without their CSRF token."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from hackathon.extensions import db
from hackathon.jobs import wait_idle
from tests.factories import make_user
from tests.smtp import SmtpServer

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LINK = re.compile(r"https?://\S+/(?:invite|password/reset|verify)/[A-Za-z0-9_-]+")
CSRF = re.compile(r'(csrf[-_]token"[^>]*?(?:content|value)=")[^"]+')
NEW_PASSWORD = "a-brand-new-password"


def imported_person(email: str, name: str = "가져온 사람", **fields):
    """Someone an organizer added from a roster: an account with no password yet."""
    user = make_user(email, name, **fields)
    user.password_hash = None
    db.session.commit()
    return user


def received(app, smtp_server: SmtpServer, address: str) -> list[EmailMessage]:
    """What the SMTP server has received for `address`, once the outbox has sent it."""
    wait_idle(app)
    return smtp_server.to(address)


def only_mail(app, smtp_server: SmtpServer, address: str) -> EmailMessage:
    messages = received(app, smtp_server, address)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    return messages[0]


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "no HTML part"
    return part.get_content()


def link_of(message: EmailMessage) -> str:
    """The one account link in the mail's plain text, which the HTML part carries too."""
    text = SmtpServer.text(message)
    found = set(LINK.findall(text))
    assert len(found) == 1, text
    link = found.pop()
    assert link in html_part(message)
    return link


def path_of(message: EmailMessage) -> str:
    return urlsplit(link_of(message)).path


def without_csrf(html: str) -> str:
    return CSRF.sub(r"\1…", html)

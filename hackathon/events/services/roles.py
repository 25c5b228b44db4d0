"""An event's people and their roles as organizers manage them: the list, adding one
person, taking a role away."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.accounts.services import MAX_NAME_LENGTH, is_valid_email, normalize_email
from hackathon.errors import Conflict, NotFound, ValidationFailed
from hackathon.events.models import Company, Event, EventRole, Role
from hackathon.events.services import get_or_create_company, grant_role
from hackathon.events.services.invitations import invitation_state
from hackathon.extensions import db
from hackathon.mail import OutboxMessage

# The roles whose employer decides conflicts of interest (as in the roster file).
COMPANY_ROLES = {Role.JUDGE, Role.MENTOR, Role.COMPANY_REP}
MAX_COMPANY_LENGTH = 200


class LastOrganizer(Conflict):
    code = "last_organizer"
    message = _l("An event keeps at least one organizer.")


class RoleHeld(Conflict):
    code = "role_held"
    message = _l("This person has this role already.")


@dataclass
class Person:
    user: User
    roles: list[EventRole] = field(default_factory=list)
    # `active` (has a password), else the invitation's state: pending, expired, none.
    access: str = "none"
    mail: OutboxMessage | None = None


def listing(event: Event, role: str | None = None, query: str = "") -> list[Person]:
    """The event's people (each with all their roles), optionally those with one role or
    whose name or e-mail contains `query`; by name."""
    stmt = (
        select(EventRole, User)
        .join(User, User.id == EventRole.user_id)
        .where(EventRole.event_id == event.id)
        .order_by(User.name, User.email, EventRole.role)
    )
    if role in set(Role):
        holders = select(EventRole.user_id).where(
            EventRole.event_id == event.id, EventRole.role == role
        )
        stmt = stmt.where(EventRole.user_id.in_(holders))
    query = query.strip().lower()
    if query:
        like = f"%{query}%"
        stmt = stmt.where(or_(func.lower(User.name).like(like), func.lower(User.email).like(like)))
    people: dict[int, Person] = {}
    for event_role, user in db.session.execute(stmt):
        people.setdefault(user.id, Person(user)).roles.append(event_role)
    mails = last_mail(event, list(people))
    for person in people.values():
        person.access = (
            "active" if person.user.password_hash is not None else invitation_state(person.user)
        )
        person.mail = mails.get(person.user.id)
    return list(people.values())


def last_mail(event: Event, user_ids: list[int]) -> dict[int, OutboxMessage]:
    """Each person's latest message about this event, or latest invitation."""
    if not user_ids:
        return {}
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.to_user_id.in_(user_ids),
            or_(OutboxMessage.event_id == event.id, OutboxMessage.kind == "account.invitation"),
        )
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    latest: dict[int, OutboxMessage] = {}
    for message in rows:
        if message.to_user_id is not None:
            latest.setdefault(message.to_user_id, message)
    return latest


def role_counts(event: Event) -> dict[Role, int]:
    rows = db.session.execute(
        select(EventRole.role, func.count())
        .where(EventRole.event_id == event.id)
        .group_by(EventRole.role)
    )
    return {Role(role): count for role, count in rows}


def add_person(
    event: Event, *, email: str, name: str, role: str, company: str = ""
) -> tuple[User, bool]:
    """Give someone a role in the event, creating their account (without a password) if
    there is none; an existing account keeps its name. The person, and whether the
    account is new. Every problem is reported at once, per field."""
    email, name, company = email.strip(), name.strip(), company.strip()
    errors: dict[str, str] = {}
    if not is_valid_email(email):
        errors["email"] = str(_l("Enter a valid e-mail address."))
    if not name or len(name) > MAX_NAME_LENGTH:
        errors["name"] = str(_l("Enter a name of at most %(n)d characters.", n=MAX_NAME_LENGTH))
    if role not in set(Role):
        errors["role"] = str(_l("Choose one of the roles."))
    elif company and Role(role) not in COMPANY_ROLES:
        errors["company"] = str(
            _l("Only judges, mentors and company representatives have a company here.")
        )
    if len(company) > MAX_COMPANY_LENGTH:
        errors["company"] = str(_l("Give a name of 1–200 characters."))
    if errors:
        raise ValidationFailed(fields=errors)
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    created = user is None
    if user is None:
        user = User(
            email=normalize_email(email),
            name=name,
            password_hash=None,
            skills="",
            is_admin=False,
            disabled=False,
            session_version=1,
        )
        db.session.add(user)
        db.session.flush()
    held = db.session.scalar(
        select(EventRole.id).where(
            EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
        )
    )
    if held is not None:
        raise RoleHeld()
    employer: Company | None = get_or_create_company(company) if company else None
    grant_role(event, user, Role(role), employer)
    audit.record("role.granted", event_id=event.id, subject=user, role=role, company=company)
    return user, created


def remove_role(event: Event, user_id: int, role: str) -> User:
    """Take one role away from a person of the event; the last organizer stays."""
    row = db.session.scalar(
        select(EventRole).where(
            EventRole.event_id == event.id, EventRole.user_id == user_id, EventRole.role == role
        )
    )
    if row is None:
        raise NotFound()
    if row.role == Role.ORGANIZER:
        organizers = db.session.scalar(
            select(func.count()).where(
                EventRole.event_id == event.id, EventRole.role == Role.ORGANIZER
            )
        )
        if (organizers or 0) <= 1:
            raise LastOrganizer()
    user = row.user
    db.session.delete(row)
    audit.record("role.revoked", event_id=event.id, subject=user, role=str(row.role))
    db.session.flush()
    return user

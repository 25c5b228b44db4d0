"""Taking part without being on the roster: per event, registration is `closed` (the
roster only, the default), `open` (a verified account joins as a participant) or
`approval` (a verified account asks, an organizer accepts or declines). Joining and
asking are possible while the event is in registration or team formation."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.db import utcnow
from hackathon.errors import Conflict, Forbidden, NotFound, PhaseClosed
from hackathon.events.models import (
    Event,
    Phase,
    Registration,
    RegistrationRequest,
    RequestState,
    Role,
)
from hackathon.events.services import grant_role, roles_of
from hackathon.events.services.invitations import is_verified
from hackathon.extensions import db

REGISTRATION_PHASES = (Phase.REGISTRATION, Phase.TEAM_FORMATION)


class RegistrationClosed(Forbidden):
    code = "registration_closed"
    message = _l(
        "This event takes its participants from the organizers' list only. "
        "Ask the organizers to add you."
    )


class NotRegistrationTime(PhaseClosed):
    code = "not_registration_time"
    message = _l("You can register only while the event is in registration or team formation.")


class NotVerified(Forbidden):
    code = "not_verified"
    message = _l("Confirm your e-mail address first, then come back to this page.")

    @classmethod
    def of(cls, user: User) -> NotVerified:
        return cls(
            _l(
                "Confirm your e-mail address first: follow the link in the verification mail "
                "we sent to %(email)s, then come back to this page.",
                email=user.email,
            )
        )


class AlreadyTakingPart(Conflict):
    code = "already_taking_part"
    message = _l("You take part in this event already.")


class AlreadyRequested(Conflict):
    code = "already_requested"
    message = _l("You have asked already; the organizers will decide.")


class RequestDeclined(Conflict):
    code = "request_declined"
    message = _l("The organizers declined your request to take part.")


class AlreadyDecided(Conflict):
    code = "already_decided"
    message = _l("This request has been decided already.")


@dataclass
class Standing:
    """Where a person stands with an event's registration, for its page."""

    mode: Registration
    roles: set[Role]
    request: RegistrationRequest | None
    open_now: bool


def standing(event: Event, user: User | None) -> Standing:
    request = None
    if user is not None:
        request = db.session.scalar(
            select(RegistrationRequest).where(
                RegistrationRequest.event_id == event.id, RegistrationRequest.user_id == user.id
            )
        )
    return Standing(
        mode=Registration(event.registration),
        roles=roles_of(user, event) if user is not None else set(),
        request=request,
        open_now=event.phase in REGISTRATION_PHASES,
    )


def register(event: Event, user: User, message: str = "") -> RegistrationRequest | None:
    """Join (open registration: None) or ask to join (by approval: the request). Every
    rule is checked here, whatever the page showed."""
    mode = Registration(event.registration)
    if mode == Registration.CLOSED:
        raise RegistrationClosed()
    if event.phase not in REGISTRATION_PHASES:
        raise NotRegistrationTime()
    if roles_of(user, event):
        raise AlreadyTakingPart()
    if not is_verified(user):
        raise NotVerified.of(user)
    if mode == Registration.OPEN:
        grant_role(event, user, Role.PARTICIPANT)
        audit.record("registration.joined", event_id=event.id, subject=user, actor=user.id)
        return None
    request = db.session.scalar(
        select(RegistrationRequest).where(
            RegistrationRequest.event_id == event.id, RegistrationRequest.user_id == user.id
        )
    )
    if request is not None:
        if request.state == RequestState.DECLINED:
            raise RequestDeclined()
        if request.state == RequestState.PENDING:
            raise AlreadyRequested()
        raise AlreadyTakingPart()  # accepted, and the role since taken away: ask organizers
    request = RegistrationRequest(
        event_id=event.id,
        user_id=user.id,
        state=RequestState.PENDING,
        message=message.strip()[:2000],
    )
    db.session.add(request)
    db.session.flush()
    audit.record("registration.requested", event_id=event.id, subject=request, actor=user.id)
    return request


def pending_requests(event: Event) -> list[RegistrationRequest]:
    return list(
        db.session.scalars(
            select(RegistrationRequest)
            .where(
                RegistrationRequest.event_id == event.id,
                RegistrationRequest.state == RequestState.PENDING,
            )
            .order_by(RegistrationRequest.created_at, RegistrationRequest.id)
        )
    )


def decide(event: Event, request_id: int, organizer: User, accept: bool) -> RegistrationRequest:
    """Accept (the person becomes a participant) or decline a pending request."""
    request = db.session.get(RegistrationRequest, request_id)
    if request is None or request.event_id != event.id:
        raise NotFound()
    if request.state != RequestState.PENDING:
        raise AlreadyDecided()
    request.state = RequestState.ACCEPTED if accept else RequestState.DECLINED
    request.decided_by_id = organizer.id
    request.decided_at = utcnow()
    if accept:
        grant_role(event, request.user, Role.PARTICIPANT)
    audit.record(
        "registration.accepted" if accept else "registration.declined",
        event_id=event.id,
        subject=request,
        user=request.user_id,
    )
    db.session.flush()
    return request

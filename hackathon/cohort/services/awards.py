"""Individual awards: prizes organizers give one person of a program, with a citation
(e.g. 우수교육생상). The record, the portfolio and the program report read them through
`awards_by_person`. See docs/cohort.md, "Individual awards"."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.cohort.models import IndividualAward
from hackathon.cohort.rules import NotATrainee, trainee_ids
from hackathon.errors import NotFound, ValidationFailed
from hackathon.events.models import Program
from hackathon.extensions import db
from hackathon.leaderboard.services.board import award_names

CITATION_MAX = 2000


def awards_by_person(
    program: Program, user_ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """User id → their individual awards in the program, oldest first, as plain data
    (`id`, `name`, `name_en`, `citation`, `created_at`); only people with an award appear."""
    statement = select(IndividualAward).where(IndividualAward.program_id == program.id)
    if user_ids is not None:
        if not user_ids:
            return {}
        statement = statement.where(IndividualAward.user_id.in_(list(user_ids)))
    found: dict[int, list[dict[str, Any]]] = {}
    for award in db.session.scalars(
        statement.order_by(IndividualAward.created_at, IndividualAward.id)
    ):
        found.setdefault(award.user_id, []).append(
            {
                "id": award.id,
                "name": award.name,
                "name_en": award.name_en,
                "citation": award.citation,
                "created_at": award.created_at,
            }
        )
    return found


def program_awards(program: Program) -> list[tuple[IndividualAward, User]]:
    """Every individual award of the program with its person, oldest first."""
    rows = db.session.execute(
        select(IndividualAward, User)
        .join(User, User.id == IndividualAward.user_id)
        .where(IndividualAward.program_id == program.id)
        .order_by(IndividualAward.created_at, IndividualAward.id)
    )
    return [(award, user) for award, user in rows]


def get_award(program: Program, award_id: int) -> IndividualAward:
    award = db.session.get(IndividualAward, award_id)
    if award is None or award.program_id != program.id:
        raise NotFound()
    return award


def _check(program: Program, values: dict[str, Any]) -> dict[str, Any]:
    """Names of at most 200 characters (Korean required), a citation of at most 2000."""
    errors: dict[str, str] = {}
    name, name_en = award_names(values, errors)
    citation = (values.get("citation") or "").strip()
    if len(citation) > CITATION_MAX:
        errors["citation"] = str(_l("Keep the citation to %(max)d characters.", max=CITATION_MAX))
    if errors:
        raise ValidationFailed(fields=errors)
    return {"name": name, "name_en": name_en, "citation": citation}


def give_award(program: Program, user_id: int, **values: Any) -> IndividualAward:
    """Give a trainee of the program an award with a citation."""
    if user_id not in trainee_ids(program):
        raise NotATrainee(fields={"user_id": NotATrainee.message})
    clean = _check(program, values)
    award = IndividualAward(
        program_id=program.id, user_id=user_id, created_by=audit.actor_id(), **clean
    )
    db.session.add(award)
    db.session.flush()
    audit.record(
        "individual_award.create", subject=award, program=program.slug, user_id=user_id, **clean
    )
    return award


def update_award(program: Program, award: IndividualAward, **values: Any) -> IndividualAward:
    """Rename an award or reword its citation (it stays with its person)."""
    clean = _check(program, values)
    before = {key: getattr(award, key) for key in clean}
    for key, value in clean.items():
        setattr(award, key, value)
    db.session.flush()
    audit.record(
        "individual_award.update",
        subject=award,
        program=program.slug,
        user_id=award.user_id,
        before=before,
        after=clean,
    )
    return award


def remove_award(program: Program, award: IndividualAward) -> None:
    audit.record(
        "individual_award.delete",
        subject=award,
        program=program.slug,
        user_id=award.user_id,
        name=award.name,
        citation=award.citation,
    )
    db.session.delete(award)
    db.session.flush()

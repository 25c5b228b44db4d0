"""The job fair's setup and rankings: organizers set the companies and their interview
places and move the fair through its states; trainees who opt in rank companies; company
reps rank opted-in trainees. See docs/cohort.md, "Job fair"."""

from __future__ import annotations

from sqlalchemy import delete, select

from hackathon import audit
from hackathon.accounts.models import User
from hackathon.accounts.rules import Viewer
from hackathon.cohort.models import (
    FairChoice,
    FairCompany,
    FairPlacement,
    FairRanking,
    FairState,
    FairTrainee,
    JobFair,
)
from hackathon.cohort.rules import (
    BadRanking,
    FairLocked,
    FairNotOpen,
    NotATrainee,
    NotOptedIn,
    NotYourCompany,
    is_trainee,
    rep_company_ids,
)
from hackathon.errors import NotFound, ValidationFailed
from hackathon.events.models import Company, Program
from hackathon.extensions import db

CAPACITY_MAX = 1000


def get_fair(program: Program) -> JobFair | None:
    return db.session.scalar(select(JobFair).where(JobFair.program_id == program.id))


def ensure_fair(program: Program) -> JobFair:
    """The program's job fair, made (in draft) the first time an organizer sets it up."""
    fair = get_fair(program)
    if fair is None:
        fair = JobFair(program_id=program.id, state=FairState.DRAFT)
        db.session.add(fair)
        db.session.flush()
        audit.record("jobfair.create", subject=fair, program=program.slug)
    return fair


def fair_companies(fair: JobFair) -> list[FairCompany]:
    return list(
        db.session.scalars(
            select(FairCompany)
            .join(Company, Company.id == FairCompany.company_id)
            .where(FairCompany.fair_id == fair.id)
            .order_by(Company.name)
        )
    )


def _fair_company(fair: JobFair, company_id: int) -> FairCompany:
    row = db.session.scalar(
        select(FairCompany).where(
            FairCompany.fair_id == fair.id, FairCompany.company_id == company_id
        )
    )
    if row is None:
        raise NotFound()
    return row


def _unlocked(fair: JobFair) -> None:
    if fair.state == FairState.CONFIRMED:
        raise FairLocked()


def set_company(fair: JobFair, company_id: int, capacity: int) -> FairCompany:
    """A company takes part with `capacity` interview places (0..1000), or changes them."""
    _unlocked(fair)
    if db.session.get(Company, company_id) is None:
        raise ValidationFailed(fields={"company_id": ValidationFailed.message})
    if not 0 <= capacity <= CAPACITY_MAX:
        raise ValidationFailed(fields={"capacity": ValidationFailed.message})
    row = db.session.scalar(
        select(FairCompany).where(
            FairCompany.fair_id == fair.id, FairCompany.company_id == company_id
        )
    )
    before = row.capacity if row else None
    if row is None:
        row = FairCompany(fair_id=fair.id, company_id=company_id, capacity=capacity)
        db.session.add(row)
    row.capacity = capacity
    db.session.flush()
    audit.record(
        "jobfair.company_set", subject=row, company_id=company_id, before=before, after=capacity
    )
    return row


def remove_company(fair: JobFair, company_id: int) -> None:
    """The company leaves the fair, with the trainees' choices of it and its ranking."""
    _unlocked(fair)
    row = _fair_company(fair, company_id)
    for model in (FairChoice, FairRanking):
        db.session.execute(
            delete(model).where(model.fair_id == fair.id, model.company_id == company_id)
        )
    audit.record("jobfair.company_remove", subject=row, company_id=company_id)
    db.session.delete(row)
    db.session.flush()


def set_state(fair: JobFair, state: FairState | str) -> JobFair:
    """Draft, open (rankings taken), closed (rankings frozen). Confirming is `confirm` in
    placements; leaving `confirmed` takes the placements back."""
    target = FairState(state)
    if target == FairState.CONFIRMED:
        raise ValidationFailed()
    before = fair.state
    if before == target:
        return fair
    if before == FairState.CONFIRMED:
        db.session.execute(delete(FairPlacement).where(FairPlacement.fair_id == fair.id))
        fair.confirmed_at = fair.confirmed_by = None
    fair.state = target
    db.session.flush()
    audit.record("jobfair.state", subject=fair, before=str(before), after=str(target))
    return fair


# ---------------------------------------------------------------- trainees


def is_opted_in(fair: JobFair, user: Viewer) -> bool:
    user_id = getattr(user, "id", None)
    return bool(
        user_id
        and db.session.scalar(
            select(FairTrainee.id).where(
                FairTrainee.fair_id == fair.id, FairTrainee.user_id == user_id
            )
        )
    )


def opted_in(fair: JobFair) -> list[User]:
    """The trainees who take part, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(FairTrainee, FairTrainee.user_id == User.id)
            .where(FairTrainee.fair_id == fair.id)
            .order_by(User.name, User.id)
        )
    )


def _open(fair: JobFair) -> None:
    if fair.state != FairState.OPEN:
        raise FairNotOpen()


def opt_in(fair: JobFair, program: Program, user: User) -> None:
    """A trainee of the program takes part (while the fair is open)."""
    _open(fair)
    if not is_trainee(user, program):
        raise NotATrainee()
    if not is_opted_in(fair, user):
        db.session.add(FairTrainee(fair_id=fair.id, user_id=user.id))
        db.session.flush()
        audit.record("jobfair.opt_in", subject=fair, user_id=user.id)


def opt_out(fair: JobFair, user: User) -> None:
    """A trainee leaves the fair: their choices go, and they leave the companies' rankings."""
    _open(fair)
    for model in (FairTrainee, FairChoice, FairRanking):
        db.session.execute(delete(model).where(model.fair_id == fair.id, model.user_id == user.id))
    db.session.flush()
    audit.record("jobfair.opt_out", subject=fair, user_id=user.id)


def choices_of(fair: JobFair, user_id: int) -> list[int]:
    """The company ids the trainee ranked, first choice first."""
    return list(
        db.session.scalars(
            select(FairChoice.company_id)
            .where(FairChoice.fair_id == fair.id, FairChoice.user_id == user_id)
            .order_by(FairChoice.rank)
        )
    )


def set_choices(fair: JobFair, user: User, company_ids: list[int]) -> list[int]:
    """An opted-in trainee ranks the fair's companies, first choice first (an empty list
    withdraws the ranking)."""
    _open(fair)
    if not is_opted_in(fair, user):
        raise NotOptedIn()
    taking_part = {row.company_id for row in fair_companies(fair)}
    if len(set(company_ids)) != len(company_ids) or not set(company_ids) <= taking_part:
        raise BadRanking()
    db.session.execute(
        delete(FairChoice).where(FairChoice.fair_id == fair.id, FairChoice.user_id == user.id)
    )
    for rank, company_id in enumerate(company_ids, start=1):
        db.session.add(
            FairChoice(fair_id=fair.id, user_id=user.id, company_id=company_id, rank=rank)
        )
    db.session.flush()
    audit.record("jobfair.choices", subject=fair, user_id=user.id, companies=company_ids)
    return company_ids


# ---------------------------------------------------------------- company reps


def represented(fair: JobFair, program: Program, user: Viewer) -> list[FairCompany]:
    """The fair's companies the user may rank trainees for."""
    mine = rep_company_ids(user, program)
    return [row for row in fair_companies(fair) if row.company_id in mine]


def ranking_of(fair: JobFair, company_id: int) -> list[int]:
    """The trainee ids the company ranked, most wanted first."""
    return list(
        db.session.scalars(
            select(FairRanking.user_id)
            .where(FairRanking.fair_id == fair.id, FairRanking.company_id == company_id)
            .order_by(FairRanking.rank)
        )
    )


def set_company_ranking(
    fair: JobFair, program: Program, company_id: int, actor: User, user_ids: list[int]
) -> list[int]:
    """A rep orders opted-in trainees for their own company (1 = most wanted)."""
    if company_id not in {row.company_id for row in represented(fair, program, actor)}:
        raise NotYourCompany()
    _open(fair)
    opted = {u.id for u in opted_in(fair)}
    if len(set(user_ids)) != len(user_ids) or not set(user_ids) <= opted:
        raise BadRanking()
    db.session.execute(
        delete(FairRanking).where(
            FairRanking.fair_id == fair.id, FairRanking.company_id == company_id
        )
    )
    for rank, user_id in enumerate(user_ids, start=1):
        db.session.add(
            FairRanking(
                fair_id=fair.id,
                company_id=company_id,
                user_id=user_id,
                rank=rank,
                ranked_by=actor.id,
            )
        )
    db.session.flush()
    audit.record("jobfair.ranking", subject=fair, company_id=company_id, trainees=user_ids)
    return user_ids

"""The `roster` CSV kind: who takes part in an event, in which role.

Columns `email,name,role,team,track,company,skills`; one row per (person, role).
Re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hackathon import csvio
from hackathon.accounts.models import User
from hackathon.accounts.services import MAX_NAME_LENGTH, is_valid_email, normalize_email
from hackathon.events.models import Company, Event, EventRole, Role
from hackathon.events.services import get_or_create_company, grant_role
from hackathon.extensions import db
from hackathon.registry import Registry, get_registry

COLUMNS = ("email", "name", "role", "team", "track", "company", "skills")
REQUIRED = ("email", "name", "role")
COMPANY_ROLES = {Role.JUDGE, Role.MENTOR, Role.COMPANY_REP}


def split_skills(raw: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in raw.split(";"):
        tag = part.strip().lower()
        if tag:
            seen[tag] = None
    return list(seen)


def check_rows(event: Event, rows: list[csvio.Row]) -> list[csvio.RowProblem]:
    """Every problem of the rows (the checks an import makes before writing anything)."""
    problems: list[csvio.RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    names: dict[str, tuple[str, int]] = {}
    for row in rows:
        email, name, role = row.get("email"), row.get("name"), row.get("role").lower()
        if not is_valid_email(email):
            problems.append(
                csvio.RowProblem(
                    row.number, str(_l("“%(email)s” is not a valid e-mail address", email=email))
                )
            )
            continue
        if not name:
            problems.append(csvio.RowProblem(row.number, str(_l("the name is empty"))))
        if len(name) > MAX_NAME_LENGTH:
            problems.append(csvio.RowProblem(row.number, str(_l("the name is too long"))))
        if role not in set(Role):
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(
                        _l(
                            "unknown role “%(role)s” (use participant, mentor, judge, organizer or "
                            "company_rep)",
                            role=role,
                        )
                    ),
                )
            )
        key = (normalize_email(email), role)
        if key in seen:
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(_l("the same person and role as row %(other)d", other=seen[key])),
                )
            )
        seen.setdefault(key, row.number)
        other = names.get(normalize_email(email))
        if other and other[0] != name:
            problems.append(
                csvio.RowProblem(
                    row.number,
                    str(_l("a different name for this e-mail than row %(other)d", other=other[1])),
                )
            )
        names.setdefault(normalize_email(email), (name, row.number))
        if (row.get("team") or row.get("track")) and get_registry().roster_placement is None:
            problems.append(
                csvio.RowProblem(
                    row.number, str(_l("team and track placement is not available for this event"))
                )
            )
    # The `team` and `track` columns are the teams feature's (see its csv package).
    placement = get_registry().roster_placement
    if placement is not None:
        problems.extend(placement.check(event, rows))
    return sorted(problems, key=lambda p: p.row)


def import_roster(event: Event, rows: list[csvio.Row]) -> csvio.ImportResult:
    """Create or update people and their roles; never duplicates."""
    problems = check_rows(event, rows)
    if problems:
        raise csvio.ImportFailed(problems)
    result = csvio.ImportResult()
    emails = {normalize_email(r.get("email")) for r in rows}
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    for row in rows:
        email = normalize_email(row.get("email"))
        role = Role(row.get("role").lower())
        user = users.get(email)
        changed = False
        if user is None:
            user = User(
                email=email,
                name=row.get("name"),
                password_hash=None,
                skills="",
                is_admin=False,
                disabled=False,
                session_version=1,
            )
            db.session.add(user)
            db.session.flush()
            users[email] = user
        elif user.name != row.get("name"):
            user.name = row.get("name")
            changed = True
        skills = ";".join(split_skills(row.get("skills")))
        if row.get("skills") and user.skills != skills:
            user.skills = skills
            changed = True
        # The employer matters for judges, mentors and company reps only (conflicts).
        company = (
            get_or_create_company(row.get("company"))
            if row.get("company") and role in COMPANY_ROLES
            else None
        )
        before = db.session.scalar(
            select(EventRole).where(
                EventRole.event_id == event.id, EventRole.user_id == user.id, EventRole.role == role
            )
        )
        old_company = before.company_id if before else None
        granted = grant_role(event, user, role, company)
        if before is None:
            result.created += 1
        elif changed or granted.company_id != old_company:
            result.updated += 1
        else:
            result.unchanged += 1
    placement = get_registry().roster_placement
    if placement is not None:
        placement.apply(event, rows)
    db.session.flush()
    return result


@dataclass
class RosterPlan:
    """What importing good rows would change, worked out without writing anything."""

    people_created: int = 0
    people_updated: int = 0
    roles_added: int = 0
    roles_updated: int = 0  # a new company for a role the person holds already
    unchanged: int = 0
    emails: list[str] = field(default_factory=list)  # everyone in the file, in file order


def plan_roster(event: Event, rows: list[csvio.Row]) -> RosterPlan:
    """The changes `import_roster` would make with these (checked) rows."""
    plan = RosterPlan()
    emails = list(dict.fromkeys(normalize_email(r.get("email")) for r in rows))
    plan.emails = emails
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    held = {
        (user_id, Role(role)): company_id
        for user_id, role, company_id in db.session.execute(
            select(EventRole.user_id, EventRole.role, EventRole.company_id).where(
                EventRole.event_id == event.id,
                EventRole.user_id.in_([u.id for u in users.values()]),
            )
        )
    }
    companies = dict(db.session.execute(select(Company.name, Company.id)).all())
    # A person's name and skills after the import: the last row that sets each wins.
    names: dict[str, str] = {}
    skills: dict[str, str] = {}
    for row in rows:
        email = normalize_email(row.get("email"))
        names[email] = row.get("name")
        if row.get("skills"):
            skills[email] = ";".join(split_skills(row.get("skills")))
    for email in emails:
        user = users.get(email)
        if user is None:
            plan.people_created += 1
        elif user.name != names[email] or (email in skills and user.skills != skills[email]):
            plan.people_updated += 1
    for row in rows:
        user = users.get(normalize_email(row.get("email")))
        role = Role(row.get("role").lower())
        if user is None or (user.id, role) not in held:
            plan.roles_added += 1
            continue
        company = row.get("company") if role in COMPANY_ROLES else ""
        if company and (company not in companies or companies[company] != held[(user.id, role)]):
            plan.roles_updated += 1
        else:
            plan.unchanged += 1
    return plan


def export_roster(event: Event) -> Iterable[dict[str, Any]]:
    rows = db.session.execute(
        select(EventRole, User, Company)
        .join(User, User.id == EventRole.user_id)
        .outerjoin(Company, Company.id == EventRole.company_id)
        .where(EventRole.event_id == event.id)
        .order_by(EventRole.role, User.email)
    ).all()
    placement = get_registry().roster_placement
    for role, user, company in rows:
        record = {
            "email": user.email,
            "name": user.name,
            "role": str(role.role),
            "team": "",
            "track": "",
            "company": company.name if company else "",
            "skills": user.skills if role.role == Role.PARTICIPANT else "",
        }
        if placement is not None:
            record.update(placement.export(event, user, role))
        yield record


def register(registry: Registry) -> None:
    registry.add_csv_kind(
        "roster",
        COLUMNS,
        required=REQUIRED,
        importer=import_roster,
        exporter=export_roster,
    )

"""A trainee's portfolio: private until they publish it; they choose which projects, files
and judges' feedback show, and write a short profile (headline, about, skills, links).

The published page is built from the PUBLIC record (`record.PUBLIC`), so it can never show
a rank or an award of a board that is not published; it never shows an e-mail address or
peer review. Rules: docs/cohort.md, "Portfolio".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from hackathon.accounts.models import User
from hackathon.cohort.models import Portfolio, PortfolioProject
from hackathon.cohort.rules import BadPortfolio, NoRecord, NotYours
from hackathon.cohort.services import record as records
from hackathon.cohort.services.record import PUBLIC, EventEntry, Record
from hackathon.db import utcnow
from hackathon.events.models import Program
from hackathon.extensions import db
from hackathon.judging.models import Assignment
from hackathon.judging.rules import counting
from hackathon.submissions.logic.markdown import render_markdown
from hackathon.submissions.models import FileSlot, Submission, SubmissionFile
from hackathon.submissions.services.entries import ready_files
from hackathon.teams.rules import split_tags

IMAGE_TYPES = frozenset({"png", "jpeg"})
MAX_LINKS, MAX_URL, MAX_HEADLINE, MAX_ABOUT = 6, 500, 200, 4000


@dataclass
class FileOption:
    id: int
    slot: str
    slot_en: str | None
    name: str
    image: bool


@dataclass
class ProjectOption:
    """An event of the record with a team: what the trainee may put on the portfolio."""

    entry: EventEntry
    files: list[FileOption] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)  # only once the results are published


@dataclass
class ShownProject:
    entry: EventEntry
    title: str
    summary: Markup
    repo_url: str
    demo_url: str
    files: list[FileOption]
    image: FileOption | None  # the gallery image (an image file the trainee chose)
    feedback: list[str]


@dataclass
class PortfolioPage:
    user: User
    portfolio: Portfolio
    record: Record
    about: Markup
    skills: list[str]
    projects: list[ShownProject]

    @property
    def awards(self) -> list[dict[str, Any]]:
        return self.record.awards


def get_portfolio(program: Program, user_id: int) -> Portfolio | None:
    return db.session.scalar(
        select(Portfolio).where(Portfolio.program_id == program.id, Portfolio.user_id == user_id)
    )


def ensure_portfolio(program: Program, user: User) -> Portfolio:
    """The trainee's portfolio, made (private, empty) on first use; only trainees have one."""
    portfolio = get_portfolio(program, user.id)
    if portfolio is None:
        if not records.is_trainee(program, user.id):
            raise NoRecord()
        portfolio = Portfolio(program_id=program.id, user_id=user.id, public=False, links=[])
        db.session.add(portfolio)
        db.session.flush()
    return portfolio


def is_published(program: Program, user_id: int) -> bool:
    portfolio = get_portfolio(program, user_id)
    return portfolio is not None and portfolio.public


def skills_of(portfolio: Portfolio | None, user: User) -> list[str]:
    """The portfolio's skills, else those of the person's profile (the roster's)."""
    if portfolio is not None and portfolio.skills:
        return [s for s in portfolio.skills.split(";") if s]
    return split_tags(";".join(user.skill_list))


# What the trainee may choose -------------------------------------------------------------


def project_options(record: Record) -> list[ProjectOption]:
    """The events in which the person had a team, with the files of the team's submission
    (the newest ready version of each slot) and, once the event's results are published,
    the judges' written feedback. A few queries for all events together."""
    entries = [e for e in record.events if e.team is not None]
    by_submission = {e.submission["id"]: e for e in entries if e.submission}
    files: dict[int, list[FileOption]] = {}
    slots = {
        s.id: s
        for s in db.session.scalars(
            select(FileSlot).where(FileSlot.event_id.in_([e.event.id for e in entries] or [-1]))
        )
    }
    seen: set[tuple[int, int]] = set()
    for row in ready_files(list(by_submission)):
        if (row.submission_id, row.slot_id) in seen:  # newest version first: it counts
            continue
        seen.add((row.submission_id, row.slot_id))
        slot = slots.get(row.slot_id)
        files.setdefault(row.submission_id, []).append(
            FileOption(
                row.id,
                slot.label if slot else "",
                slot.label_en if slot else None,
                row.original_name,
                row.detected_type in IMAGE_TYPES,
            )
        )
    published = records.published_events([e.event.id for e in entries])
    feedback = _feedback([e.team["id"] for e in entries if e.event.id in published and e.team])
    return [
        ProjectOption(
            e,
            files.get(e.submission["id"], []) if e.submission else [],
            feedback.get(e.team["id"], []) if e.team else [],
        )
        for e in entries
    ]


def _feedback(team_ids: list[int]) -> dict[int, list[str]]:
    if not team_ids:
        return {}
    rows = db.session.execute(
        select(Assignment.team_id, Assignment.feedback).where(
            Assignment.team_id.in_(team_ids), counting(None)
        )
    )
    texts: dict[int, set[str]] = {}
    for team_id, text in rows:
        if text and text.strip():
            texts.setdefault(team_id, set()).add(text.strip())
    # Sorted, as the team's results page shows them: no order that hints at a judge.
    return {team_id: sorted(found) for team_id, found in texts.items()}


# Saving ----------------------------------------------------------------------------------


def save_portfolio(
    program: Program,
    user: User,
    *,
    headline: str | None = None,
    about: str | None = None,
    skills: str | None = None,
    links: Iterable[str] | None = None,
    public: bool | None = None,
    projects: dict[int, dict[str, list[Any]]] | None = None,
) -> Portfolio:
    """Change what was given (None leaves a field as it is). `projects` maps event ids to
    `{"files": [file ids], "feedback": [texts]}` and replaces the whole choice; each
    must be the person's own team's. Nothing changes unless everything is valid."""
    portfolio = ensure_portfolio(program, user)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if headline is not None:
        values["headline"] = headline.strip()
        if len(values["headline"]) > MAX_HEADLINE:
            errors["headline"] = str(_l("At most %(n)d characters.", n=MAX_HEADLINE))
    if about is not None:
        values["about"] = about.strip()
        if len(values["about"]) > MAX_ABOUT:
            errors["about"] = str(_l("At most %(n)d characters.", n=MAX_ABOUT))
    if skills is not None:
        values["skills"] = ";".join(split_tags(skills))
    if links is not None:
        values["links"] = _clean_links(links, errors)
    if errors:
        raise BadPortfolio(fields=errors)
    chosen = _check_projects(program, user, projects) if projects is not None else None
    for key, value in values.items():
        setattr(portfolio, key, value)
    if chosen is not None:
        portfolio.projects.clear()
        db.session.flush()
        for position, (event_id, picks) in enumerate(chosen.items()):
            portfolio.projects.append(
                PortfolioProject(
                    event_id=event_id,
                    position=position,
                    file_ids=picks["files"],
                    feedback=picks["feedback"],
                )
            )
    if public is not None:
        if public and not portfolio.public:
            portfolio.published_at = utcnow()
        portfolio.public = public
    portfolio.updated_at = utcnow()
    db.session.flush()
    return portfolio


def _clean_links(links: Iterable[str], errors: dict[str, str]) -> list[str]:
    found = [link.strip() for link in links if link and link.strip()]
    for link in found:
        parts = urlsplit(link)
        if parts.scheme not in {"http", "https"} or not parts.netloc or len(link) > MAX_URL:
            errors["links"] = str(
                _l("Give each link as a full web address starting with https://.")
            )
            break
    if len(found) > MAX_LINKS:
        errors["links"] = str(_l("At most %(n)d links.", n=MAX_LINKS))
    return list(dict.fromkeys(found))


def _check_projects(
    program: Program, user: User, projects: dict[int, dict[str, list[Any]]]
) -> dict[int, dict[str, list[Any]]]:
    record = records.record_of(program, user.id, records.OWN)
    options = {o.entry.event.id: o for o in project_options(record)} if record else {}
    chosen: dict[int, dict[str, list[Any]]] = {}
    for event_id, picks in projects.items():
        option = options.get(event_id)
        files = [int(f) for f in picks.get("files", [])]
        feedback = [str(t).strip() for t in picks.get("feedback", [])]
        if (
            option is None
            or not set(files) <= {f.id for f in option.files}
            or not set(feedback) <= set(option.feedback)
        ):
            raise NotYours()
        # In the order the options come in: the page shows them in that order.
        chosen[event_id] = {
            "files": [f.id for f in option.files if f.id in files],
            "feedback": [t for t in option.feedback if t in feedback],
        }
    order = list(options)
    return dict(sorted(chosen.items(), key=lambda item: order.index(item[0])))


# Showing ---------------------------------------------------------------------------------


def portfolio_page(program: Program, user_id: int) -> PortfolioPage | None:
    """The portfolio as the public sees it once published (the trainee and organizers may
    preview it before). None when the person has no portfolio in the program."""
    portfolio = get_portfolio(program, user_id)
    if portfolio is None:
        return None
    # Always the public record: nothing from a board that is not published shows here.
    record = records.record_of(program, user_id, PUBLIC)
    if record is None:
        return None
    options = {o.entry.event.id: o for o in project_options(record)}
    submissions = _submission_texts(
        [o.entry.submission["id"] for o in options.values() if o.entry.submission]
    )
    shown = []
    for chosen in portfolio.projects:
        option = options.get(chosen.event_id)
        if option is None:
            continue
        files = [f for f in option.files if f.id in chosen.file_ids]
        sub = submissions.get(option.entry.submission["id"]) if option.entry.submission else None
        shown.append(
            ShownProject(
                entry=option.entry,
                title=(sub or {}).get("title") or option.entry.team["name"],  # type: ignore[index]
                summary=render_markdown((sub or {}).get("summary") or ""),
                repo_url=(sub or {}).get("repo_url") or "",
                demo_url=(sub or {}).get("demo_url") or "",
                files=files,
                image=next((f for f in files if f.image), None),
                feedback=[t for t in chosen.feedback if t in option.feedback],
            )
        )
    return PortfolioPage(
        record.user,
        portfolio,
        record,
        render_markdown(portfolio.about),
        skills_of(portfolio, record.user),
        shown,
    )


def _submission_texts(submission_ids: list[int]) -> dict[int, dict[str, str]]:
    if not submission_ids:
        return {}
    rows = db.session.execute(
        select(
            Submission.id,
            Submission.title,
            Submission.summary,
            Submission.repo_url,
            Submission.demo_url,
        ).where(Submission.id.in_(submission_ids))
    )
    return {
        sid: {"title": title, "summary": summary, "repo_url": repo, "demo_url": demo}
        for sid, title, summary, repo, demo in rows
    }


def shown_file(program: Program, user_id: int, file_id: int) -> SubmissionFile | None:
    """A file the person chose to show on their portfolio (and still a ready file of
    their team's submission), else None."""
    page = portfolio_page(program, user_id)
    if page is None or not any(f.id == file_id for p in page.projects for f in p.files):
        return None
    return db.session.get(SubmissionFile, file_id)


# The talent view -------------------------------------------------------------------------


@dataclass
class TalentCard:
    user_id: int
    name: str
    headline: str
    skills: list[str]
    awards: list[str]  # individual and team awards, as names in both languages
    tracks: list[str]
    projects: int


def published_portfolios(program: Program) -> list[TalentCard]:
    """Every published portfolio of the program, as cards (from the public records)."""
    published = {
        p.user_id: p
        for p in db.session.scalars(
            select(Portfolio).where(Portfolio.program_id == program.id, Portfolio.public.is_(True))
        )
    }
    if not published:
        return []
    cards = []
    for rec in records.records(program, PUBLIC, list(published)):
        portfolio = published[rec.user.id]
        chosen = {p.event_id for p in portfolio.projects}
        award_names = [
            name
            for a in [
                *rec.awards,
                *(a for e in rec.events if e.event.id in chosen for a in e.awards),
            ]
            for name in (a.get("name"), a.get("name_en"))
            if name
        ]
        cards.append(
            TalentCard(
                rec.user.id,
                rec.user.name,
                portfolio.headline,
                skills_of(portfolio, rec.user),
                list(dict.fromkeys(award_names)),
                sorted(
                    {
                        t
                        for e in rec.events
                        if e.event.id in chosen
                        for t in (e.track, e.track_en)
                        if t
                    }
                ),
                len(chosen),
            )
        )
    return cards

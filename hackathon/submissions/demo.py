"""Demo submissions: the two past hackathons have handed-in projects with small real files
(a generated PDF and a zip, stored through the configured backend); the company-projects
round is open, with drafts."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from datetime import datetime, timedelta

from sqlalchemy import select

from hackathon.events.demo.cohort import DemoContext
from hackathon.events.models import Event
from hackathon.extensions import db
from hackathon.storage import Storage, get_storage
from hackathon.submissions.logic.filetypes import content_type_for, extension_of
from hackathon.submissions.models import (
    FileSlot,
    FileStatus,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from hackathon.submissions.services.slots import ensure_default_slots
from hackathon.submissions.services.uploads import object_key
from hackathon.teams.models import Team

HANDED_IN = ("cohort1-fintech", "cohort1-news-bigdata")
OPEN = "cohort1-company-projects"
IDEAS = [
    ("실시간 이상 거래 탐지", "Real-time anomaly detection"),
    ("뉴스 요약 챗봇", "News summary chatbot"),
    ("소상공인 매출 예측", "Sales forecasting for small shops"),
    ("가짜 뉴스 판별기", "Fake news detector"),
    ("대화형 금융 비서", "Conversational finance assistant"),
    ("지역 여론 지도", "Local opinion map"),
    ("문서 자동 분류", "Automatic document triage"),
]


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF that real viewers open (Helvetica, so ASCII text only)."""
    text = " ".join(
        "({}) Tj 0 -26 Td".format(
            line.encode("ascii", "replace")
            .decode()
            .replace("\\", "\\\\")
            .replace("(", "\\(")
            .replace(")", "\\)")
        )
        for line in lines
    )
    content = f"BT /F1 20 Tf 72 720 Td {text} ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def small_zip(files: dict[str, str]) -> bytes:
    """A zip of small text files (names and contents may be Korean)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, (2026, 3, 1, 9, 0, 0)), text)
    return buffer.getvalue()


def store_file(
    storage: Storage,
    submission: Submission,
    slot: FileSlot,
    name: str,
    data: bytes,
    uploaded_at: datetime,
    uploader_id: int | None,
    version: int = 1,
) -> SubmissionFile:
    """Put bytes in storage and record them as a verified version (server-side data only)."""
    upload_id = str(uuid.uuid4())
    key = object_key(submission, slot, upload_id)
    content_type = content_type_for(extension_of(name))
    storage.put(key, data, content_type)
    row = SubmissionFile(
        upload_id=upload_id,
        submission_id=submission.id,
        slot_id=slot.id,
        version=version,
        status=FileStatus.READY,
        uploaded_by=uploader_id,
        original_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        detected_type=extension_of(name),
        backend=storage.name,
        key=key,
        multipart_id=None,
        created_at=uploaded_at,
        expires_at=uploaded_at + timedelta(minutes=10),
        completed_at=uploaded_at,
    )
    db.session.add(row)
    return row


def _teams(ctx: DemoContext, event: Event) -> list[Team]:
    teams = ctx.teams.get(event.slug)
    if teams is None:  # built before (or without) the teams step: whatever the event has
        teams = list(
            db.session.scalars(select(Team).where(Team.event_id == event.id).order_by(Team.id))
        )
    return teams


def _uploader(team: Team) -> int | None:
    if getattr(team, "captain_id", None):
        return team.captain_id
    members = getattr(team, "members", None) or []
    return members[0].user_id if members else None


def _submission(
    event: Event, team: Team, index: int, handed_in: bool, when: datetime
) -> Submission:
    ko, en = IDEAS[index % len(IDEAS)]
    submission = Submission(
        event_id=event.id,
        team_id=team.id,
        title=f"{ko} ({team.name})",
        summary=(
            f"**{ko}** 프로젝트입니다.\n\n- 문제: 현장의 불편함\n- 해결: {en}\n"
            "- 데이터: 공개 데이터와 합성 데이터\n"
        ),
        repo_url=f"https://git.example.test/cohort1/team-{team.id}",
        demo_url=f"https://demo.example.test/team-{team.id}" if handed_in else "",
        status=SubmissionStatus.SUBMITTED if handed_in else SubmissionStatus.DRAFT,
        submitted_at=when if handed_in else None,
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def _files(
    storage: Storage,
    event: Event,
    slots: dict[str, FileSlot],
    submission: Submission,
    team: Team,
    index: int,
    when: datetime,
    with_code: bool = True,
) -> None:
    ko, en = IDEAS[index % len(IDEAS)]
    pdf = minimal_pdf([en, f"Team {team.id} - {event.name_en or event.slug}", "AI Academy"])
    store_file(
        storage, submission, slots["slides"], "발표자료_최종.pdf", pdf, when, _uploader(team)
    )
    if with_code and "code" in slots:
        code = small_zip(
            {
                "README.md": f"# {ko}\n\n{en}\n\n실행: `python main.py`\n",
                "main.py": f'print("{en}")\n',
            }
        )
        store_file(
            storage,
            submission,
            slots["code"],
            "소스코드.zip",
            code,
            when + timedelta(minutes=3),
            _uploader(team),
        )


def build(ctx: DemoContext) -> None:
    storage = get_storage()
    for slug in (*HANDED_IN, OPEN):
        event = ctx.events.get(slug)
        if event is None:
            continue
        slots = {slot.key: slot for slot in ensure_default_slots(event)}
        ctx.submissions[slug] = []
        for index, team in enumerate(_teams(ctx, event)):
            if slug == OPEN:
                if index % 3 == 2:
                    continue  # a third of the teams have not started yet
                when = ctx.now - timedelta(days=2, hours=index)
                submission = _submission(event, team, index, False, when)
                if index % 3 == 0:
                    _files(storage, event, slots, submission, team, index, when, with_code=False)
            else:
                close = event.submissions_close_at or ctx.now
                when = close - timedelta(hours=1 + index % 20, minutes=index * 7 % 60)
                submission = _submission(event, team, index, True, when)
                _files(storage, event, slots, submission, team, index, when - timedelta(minutes=30))
            ctx.submissions[slug].append(submission)
    db.session.flush()

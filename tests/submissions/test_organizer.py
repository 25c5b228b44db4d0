"""Organizers: the streamed zip of everything, file slots, extensions."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import pytest

from hackathon.db import utcnow
from hackathon.submissions.demo import minimal_pdf, small_zip, store_file
from hackathon.submissions.models import FileSlot, Submission
from hackathon.submissions.services.entries import set_extension
from tests.factories import grant, make_submission, make_team, make_user
from tests.helpers import open_submission, sha, upload


@pytest.fixture
def staff(backend, world, login):
    organizer = make_user(name="운영자")
    grant(world.event, organizer, "organizer")
    return login(organizer, client=backend.client())


def test_everything_of_an_event_as_one_streamed_zip(backend, world, staff, login):
    alice = login(world.alice, client=backend.client())
    carol = login(world.carol, client=backend.client())
    ours, theirs = open_submission(alice, world.event), open_submission(carol, world.event)
    old, new = minimal_pdf(["old"]), minimal_pdf(["new"])
    code = small_zip({"main.py": "print(1)"})
    upload(backend, alice, ours, "slides", "발표자료.pdf", old)
    upload(backend, alice, ours, "slides", "발표자료_최종.pdf", new)
    upload(backend, alice, ours, "code", "code.zip", code)
    upload(backend, carol, theirs, "slides", "슬라이드.pdf", old)

    response = staff.get(f"/events/{world.event.slug}/submissions.zip")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[0] == "manifest.csv"
    assert sorted(names[1:]) == [
        "팀 둘/slides/슬라이드.pdf",
        "팀 하나/code/code.zip",
        "팀 하나/slides/발표자료_최종.pdf",
    ]
    assert archive.read("팀 하나/slides/발표자료_최종.pdf") == new  # only the current version
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert {r["sha256"] for r in rows} == {sha(new), sha(code), sha(old)}


def test_slots_start_with_the_defaults_and_can_be_edited(backend, world, staff, db):
    db.session.query(FileSlot).delete()
    db.session.commit()
    page = staff.get(f"/events/{world.event.slug}/slots")
    assert page.status_code == 200
    db.session.expire_all()
    slots = {s.key: s for s in db.session.query(FileSlot).filter_by(event_id=world.event.id)}
    assert {k: (s.extension_list, s.max_bytes // 2**20, s.required) for k, s in slots.items()} == {
        "slides": (["pdf", "pptx"], 50, True),
        "code": (["zip"], 200, True),
        "video": (["mp4", "webm"], 2048, False),
    }
    slides = slots["slides"]
    prefix = f"s{slides.id}-"
    form = {
        prefix + "key": "slides",
        prefix + "label": "발표",
        prefix + "label_en": "Deck",
        prefix + "extensions": "PDF, .png",
        prefix + "max_mb": "20",
        "csrf_token": staff.csrf_token,
    }
    form[prefix + "csrf_token"] = staff.csrf_token
    response = staff.post(f"/events/{world.event.slug}/slots/{slides.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    slides = db.session.get(FileSlot, slides.id)
    assert (slides.extensions, slides.max_bytes, slides.required, slides.label_en) == (
        "pdf,png",
        20 * 2**20,
        False,
        "Deck",
    )

    form[prefix + "extensions"] = "exe"
    refused = staff.post(f"/events/{world.event.slug}/slots/{slides.id}", data=form)
    assert refused.status_code == 422
    assert "exe" in refused.get_data(as_text=True)

    new = {
        "new-key": "poster",
        "new-label": "포스터",
        "new-extensions": "pdf",
        "new-max_mb": "10",
        "new-required": "y",
        "new-csrf_token": staff.csrf_token,
    }
    assert staff.post(f"/events/{world.event.slug}/slots", data=new).status_code == 302
    again = staff.post(f"/events/{world.event.slug}/slots", data=new)
    assert again.status_code == 422  # the key is taken
    poster = db.session.query(FileSlot).filter_by(event_id=world.event.id, key="poster").one()
    poster_id = poster.id
    assert (
        staff.form_post(f"/events/{world.event.slug}/slots/{poster_id}/delete").status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(FileSlot, poster_id) is None


def test_a_slot_with_files_stays(backend, world, staff, login, db):
    alice = login(world.alice, client=backend.client())
    upload(
        backend, alice, open_submission(alice, world.event), "slides", "a.pdf", minimal_pdf(["a"])
    )
    slot_id = world.slots["slides"].id
    staff.get(f"/events/{world.event.slug}/slots")
    staff.form_post(f"/events/{world.event.slug}/slots/{slot_id}/delete")
    db.session.expire_all()
    assert db.session.get(FileSlot, slot_id) is not None


def test_an_extension_must_end_after_the_regular_deadline(backend, world, login, db):
    alice = login(world.alice, client=backend.client())
    submission_id = open_submission(alice, world.event)
    from hackathon.errors import ValidationFailed
    from hackathon.submissions.models import Submission

    submission = db.session.get(Submission, submission_id)
    with pytest.raises(ValidationFailed):
        set_extension(submission, utcnow() - timedelta(days=3))
    db.session.rollback()
    submission = db.session.get(Submission, submission_id)
    set_extension(submission, world.event.submissions_deadline + timedelta(hours=1))
    db.session.commit()
    assert submission.extended_until is not None


def test_the_zip_is_streamed_in_pieces_not_built_whole(backend, world, staff, login, db):
    alice = login(world.alice, client=backend.client())
    submission = db.session.get(Submission, open_submission(alice, world.event))
    big = minimal_pdf(["big"]) + b"%" + bytes(range(256)) * 4096 * 3  # 3 MB
    store_file(backend.storage, submission, world.slots["slides"], "big.pdf", big, utcnow(), None)
    db.session.commit()
    response = staff.get(f"/events/{world.event.slug}/submissions.zip", buffered=False)
    pieces = [len(piece) for piece in response.response]
    response.close()
    assert sum(pieces) > len(big)
    assert max(pieces) <= 2 * 2**20, pieces  # a chunk read plus what waits to be sent


def test_the_zip_says_so_when_storage_is_down(backend, world, staff, monkeypatch):
    from hackathon.storage import StorageError

    def down(*args, **kwargs):
        raise StorageError("connection refused")

    page = f"/events/{world.event.slug}/submissions"
    staff.get(page)
    monkeypatch.setattr(type(backend.storage), "check", down)
    response = staff.get(
        f"/events/{world.event.slug}/submissions.zip",
        headers={"Referer": f"http://localhost{page}"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(page)
    html = staff.get(page).get_data(as_text=True)
    assert "storage" in html.lower() or "저장소" in html


def test_zip_paths_stay_apart_and_keep_their_extension(backend, world, staff, db):
    long_name = "가" * 200 + ".pdf"
    for name in ("A/B", "a_b"):
        team = make_team(world.event, name, members=[make_user()])
        submission = make_submission(team, status="draft", title="")
        data = minimal_pdf([name])
        store_file(
            backend.storage, submission, world.slots["slides"], long_name, data, utcnow(), None
        )
    db.session.commit()
    response = staff.get(f"/events/{world.event.slug}/submissions.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = archive.namelist()[1:]
    assert len({n.casefold() for n in names}) == 2, names  # unzipped on a laptop: two files
    assert all(n.endswith(".pdf") for n in names), names
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert sorted(r["path"] for r in rows) == sorted(names)


def test_the_manifest_never_hands_excel_a_formula(backend, world, staff, db):
    team = make_team(world.event, "=HYPERLINK(1)", members=[make_user()])
    submission = make_submission(team, status="draft", title="")
    name = '=HYPERLINK("https://evil.test","open").pdf'
    store_file(
        backend.storage, submission, world.slots["slides"], name, minimal_pdf(["x"]), utcnow(), None
    )
    db.session.commit()
    response = staff.get(f"/events/{world.event.slug}/submissions.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert (rows[0]["team"], rows[0]["file"]) == ("'=HYPERLINK(1)", "'" + name)

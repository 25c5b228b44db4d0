"""Pure rules: real file types, safe Markdown, sizes and the time left."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

import pytest

from hackathon.submissions.demo import minimal_pdf, small_zip
from hackathon.submissions.logic.filetypes import accepts, detect, extension_of
from hackathon.submissions.logic.markdown import render_markdown
from hackathon.submissions.services.uploads import clean_filename, part_count, part_size_for

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2"
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
MKV = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska"


def _names(data: bytes):
    import io
    import zipfile

    return lambda: zipfile.ZipFile(io.BytesIO(data)).namelist()


PPTX = small_zip({"[Content_Types].xml": "<Types/>", "ppt/slides/slide1.xml": "<s/>"})
DOCX = small_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<d/>"})
ZIP = small_zip({"src/main.py": "print(1)"})


@pytest.mark.parametrize(
    ("head", "names", "kind"),
    [
        (minimal_pdf(["x"]), None, "pdf"),
        (PPTX, _names(PPTX), "pptx"),
        (DOCX, _names(DOCX), "docx"),
        (ZIP, _names(ZIP), "zip"),
        (ZIP, None, "zip"),
        (b"PK\x03\x04broken", lambda: (_ for _ in ()).throw(ValueError("bad")), "zip"),
        (MP4, None, "mp4"),
        (MOV, None, "mov"),
        (WEBM, None, "webm"),
        (MKV, None, "mkv"),
        (b"\x89PNG\r\n\x1a\n....", None, "png"),
        (b"\xff\xd8\xff\xe0JFIF", None, "jpeg"),
        (b"<!doctype html><script>", None, ""),
        (b"", None, ""),
    ],
)
def test_detect_reads_the_first_bytes(head, names, kind):
    assert detect(head, names) == kind


@pytest.mark.parametrize(
    ("extension", "detected", "ok"),
    [
        ("pdf", "pdf", True),
        ("pdf", "", False),
        ("pptx", "pptx", True),
        ("pptx", "zip", False),
        ("zip", "pptx", True),
        ("zip", "zip", True),
        ("mp4", "mp4", True),
        ("mp4", "mov", False),
        ("mov", "mp4", True),
        ("webm", "webm", True),
        ("webm", "mkv", False),
        ("jpg", "jpeg", True),
        ("exe", "", False),
    ],
)
def test_an_extension_accepts_only_its_real_types(extension, detected, ok):
    assert accepts(extension, detected) is ok


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("발표자료_최종.PDF", "pdf"),
        ("a.tar.gz", "gz"),
        (".hidden", ""),
        ("noext", ""),
    ],
)
def test_extension_of(name, ext):
    assert extension_of(name) == ext


def test_file_names_keep_hangul_and_lose_folders():
    decomposed = unicodedata.normalize("NFD", "발표자료.pdf")  # as macOS browsers send it
    assert decomposed != "발표자료.pdf"
    assert clean_filename(decomposed) == "발표자료.pdf"
    assert clean_filename("C:\\Users\\me\\발표자료_최종.pdf") == "발표자료_최종.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("a\x00b.pdf") == "ab.pdf"


@pytest.mark.parametrize("name", ["", "   ", "..", "/", "x" * 256])
def test_bad_file_names_are_refused(name):
    from hackathon.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        clean_filename(name)


def test_parts_stay_under_ten_thousand(app):
    assert part_size_for(100 * 2**20) == 16 * 2**20
    assert part_count(2 * 2**30) == 128
    huge = 5 * 2**40
    assert part_count(huge) <= 10_000
    assert part_size_for(huge) % 2**20 == 0


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.test></iframe>",
    ],
)
def test_markdown_never_renders_active_content(source):
    html = str(render_markdown(source))
    for bad in (
        r"<script",
        r"<[a-z][^>]*\son\w+\s*=",
        r'<a\s[^>]*href="(javascript|data):',
        r"<iframe",
        r"<img",
    ):
        assert not re.search(bad, html), (bad, html)  # escaped text is fine, markup is not


def test_markdown_keeps_the_useful_parts():
    html = str(
        render_markdown(
            "# 제목\n\n**굵게** `code`\n\n- 하나\n\n[링크](https://a.test)\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n"
        )
    )
    for good in (
        "<h1>제목</h1>",
        "<strong>굵게</strong>",
        "<code>code</code>",
        "<li>하나</li>",
        'href="https://a.test"',
        'rel="noopener noreferrer nofollow ugc"',
        "<table>",
    ):
        assert good in html


def test_sizes_and_time_left_read_naturally(app):
    from hackathon.i18n import human_size
    from hackathon.submissions.views.participant import time_left

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert human_size(50 * 2**20) == "50 MB"
        assert human_size(1536) == "1.5 KB"
        assert human_size(2 * 2**30) == "2 GB"
        assert human_size(999) == "999 B"
        assert time_left(timedelta(days=2, hours=3, minutes=9)) == "2 days 3 hours"
        assert time_left(timedelta(minutes=45, seconds=30)) == "45 minutes"
        assert time_left(timedelta(seconds=20)) == "0 minutes"

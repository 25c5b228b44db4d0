"""What a file really is, from its first bytes; no Flask, no database.

A file's extension is only a claim. The app reads the first bytes of every upload and, for
zip-based formats, the names inside, and accepts the file only if the two agree.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

HEAD_BYTES = 4096
# What a damaged zip directory raises; anything else (storage failing) is not our verdict.
DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    ValueError,
    KeyError,
    struct.error,
)


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    # The detected kinds a file with this extension may really be.
    accepts: frozenset[str]


def _type(extension: str, content_type: str, *accepts: str) -> FileType:
    return FileType(extension, content_type, frozenset(accepts or (extension,)))


KNOWN_TYPES: dict[str, FileType] = {
    t.extension: t
    for t in (
        _type("pdf", "application/pdf"),
        _type("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        _type("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        # Office files are zips too, and a zip slot takes any zip.
        _type("zip", "application/zip", "zip", "pptx", "docx"),
        _type("mp4", "video/mp4"),
        _type("mov", "video/quicktime", "mov", "mp4"),
        _type("webm", "video/webm"),
        _type("png", "image/png"),
        _type("jpg", "image/jpeg", "jpeg"),
        _type("jpeg", "image/jpeg", "jpeg"),
    )
}


def extension_of(filename: str) -> str:
    """The lowercase extension without its dot, or ''."""
    stem, dot, ext = filename.rpartition(".")
    return ext.lower() if dot and stem else ""


def detect(head: bytes, zip_names: Callable[[], Iterable[str]] | None = None) -> str:
    """The kind of file these first bytes start, or '' if we do not recognise it.

    `zip_names` lists a zip's entries; it is called only when the head is a zip, to tell
    a pptx or docx from a plain zip.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(zip_names)
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # EBML: the DocType in the header says WebM or Matroska.
        return "webm" if b"webm" in head[:64] else "mkv"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return ""


def _zip_kind(zip_names: Callable[[], Iterable[str]] | None) -> str:
    if zip_names is None:
        return "zip"
    try:
        names = list(zip_names())
    except DAMAGED_ZIP:  # a damaged directory is still a zip by its head
        return "zip"
    if "[Content_Types].xml" in names:
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
        if any(n.startswith("word/") for n in names):
            return "docx"
    return "zip"


def accepts(extension: str, detected: str) -> bool:
    """Whether a file named with this extension may really be the detected kind."""
    known = KNOWN_TYPES.get(extension)
    return known is not None and detected in known.accepts


def content_type_for(extension: str) -> str:
    known = KNOWN_TYPES.get(extension)
    return known.content_type if known else "application/octet-stream"

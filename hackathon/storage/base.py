"""The storage interface every backend implements, and what they share."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import current_app

CHUNK = 1024 * 1024


class StorageError(Exception):
    """Storage could not be reached or refused the request."""


class StorageMissing(StorageError):
    """The object or multipart upload asked for does not exist."""


class StorageChanged(StorageError):
    """The object is no longer the one that was checked (its ETag differs)."""


@dataclass(frozen=True)
class PostTicket:
    """Where and how the browser sends one file in a single form POST."""

    url: str
    fields: dict[str, str]


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    last_modified: datetime
    content_type: str = ""
    etag: str = ""


@dataclass(frozen=True)
class CopyResult:
    """What a server-side copy made: its size and, where the storage computed it while
    copying, its full SHA-256 in hex (else None, and the caller must hash it)."""

    size: int
    sha256: str | None = None


@dataclass(frozen=True)
class PartInfo:
    number: int
    size: int
    etag: str
    # When the part arrived: a joined object is as late as its latest part, not as the join.
    last_modified: datetime | None = None


@dataclass(frozen=True)
class MultipartInfo:
    key: str
    multipart_id: str
    initiated: datetime | None


class Storage(ABC):
    """Objects under keys we build; the browser reaches them only through signed URLs."""

    name: str

    @abstractmethod
    def check(self) -> None:
        """Raise StorageError unless the storage answers."""

    # Direct uploads from the browser
    @abstractmethod
    def presigned_post(
        self, key: str, content_type: str, size: int, expires_in: int, sha256: str = ""
    ) -> PostTicket:
        """A form POST for exactly this key, content type and size, valid for seconds; with
        `sha256` (hex) a storage that can refuses bytes of another SHA-256 itself."""

    @abstractmethod
    def create_multipart(self, key: str, content_type: str) -> str:
        """Start a multipart upload; returns its id."""

    @abstractmethod
    def presign_part(
        self, key: str, multipart_id: str, number: int, expires_in: int, size: int | None = None
    ) -> str:
        """A URL the browser PUTs one part to, of at most `size` bytes where the backend
        can hold it to that (the whole file's size is checked on completion anyway)."""

    @abstractmethod
    def list_parts(self, key: str, multipart_id: str) -> list[PartInfo]:
        """Parts that arrived so far, by number; StorageMissing if the upload is gone."""

    @abstractmethod
    def complete_multipart(self, key: str, multipart_id: str, parts: list[PartInfo]) -> None:
        """Join the parts into the object."""

    @abstractmethod
    def abort_multipart(self, key: str, multipart_id: str) -> None:
        """Drop a multipart upload and its parts (no error if it is gone)."""

    # Objects
    @abstractmethod
    def head(self, key: str) -> ObjectInfo | None:
        """Size and time of an object, or None if there is none."""

    @abstractmethod
    def read_range(self, key: str, start: int, length: int) -> bytes:
        """Up to `length` bytes from `start`."""

    @abstractmethod
    def iter_bytes(self, key: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        """The object's bytes in chunks, never all in memory."""

    @abstractmethod
    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store small bytes from the server itself (demo data, fixtures)."""

    @abstractmethod
    def copy(self, source: str, target: str, etag: str, size: int) -> CopyResult:
        """Copy an object inside the storage, only if it still has `etag` (StorageChanged
        otherwise, StorageMissing if it is gone); `target` is replaced."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove an object (no error if it is gone)."""

    @abstractmethod
    def download_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        """A short-lived URL that downloads the object as an attachment named `filename`."""

    # Housekeeping
    @abstractmethod
    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every object under a prefix."""

    @abstractmethod
    def list_multiparts(self, prefix: str) -> Iterator[MultipartInfo]:
        """Multipart uploads under a prefix that were neither completed nor aborted."""

    def sha256(self, key: str) -> str:
        """The object's SHA-256, computed by streaming it."""
        digest = hashlib.sha256()
        for chunk in self.iter_bytes(key):
            digest.update(chunk)
        return digest.hexdigest()

    def open_range(self, key: str, size: int) -> RangeFile:
        """A seekable read-only file over the object that fetches only what is read."""
        return RangeFile(self, key, size)


class RangeFile(io.RawIOBase):
    """Lets `zipfile` read a zip's directory from its end without fetching the whole object."""

    def __init__(self, storage: Storage, key: str, size: int) -> None:
        self.storage, self.key, self.size, self.position = storage, key, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        want = min(len(buffer), self.size - self.position)
        if want <= 0:
            return 0
        data = self.storage.read_range(self.key, self.position, want)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()+-]+")


def ascii_fallback(filename: str) -> str:
    """A plain-ASCII name for old clients that ignore `filename*`."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    clean_stem = _UNSAFE_ASCII.sub("_", stem).strip("._- ")
    clean_ext = _UNSAFE_ASCII.sub("", ext)[:10]
    if not re.search(r"[A-Za-z0-9]", clean_stem):
        clean_stem = "download"
    return clean_stem + (f".{clean_ext}" if clean_ext else "")


def content_disposition(filename: str, kind: str = "attachment") -> str:
    """`attachment` with the original name intact for every modern browser (RFC 6266/5987)."""
    filename = unicodedata.normalize("NFC", filename)
    encoded = quote(filename, safe="")
    return f"{kind}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"


def get_storage() -> Storage:
    """The app's storage backend, built once at start-up."""
    storage: Storage = current_app.extensions["storage"]
    return storage

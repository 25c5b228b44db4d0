"""Files under the instance folder, for one machine.

It hands the browser the same tickets as S3 does, pointing at signed, expiring URLs of the
app itself (`hackathon.storage.views`), so the pages and the API work the same on both.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import url_for
from itsdangerous import BadSignature, URLSafeSerializer

from hackathon.storage.base import (
    CHUNK,
    CopyResult,
    MultipartInfo,
    ObjectInfo,
    PartInfo,
    PostTicket,
    Storage,
    StorageChanged,
    StorageError,
    StorageMissing,
)

STAGING = ".multipart"


class LocalStorage(Storage):
    name = "local"

    def __init__(self, root: str, secret: str) -> None:
        self.root = Path(root)
        self.secret = secret
        self.signer = URLSafeSerializer(secret, salt="hackathon.storage.local")

    # Signed URLs of the app
    def sign(self, purpose: str, expires_in: int, **claims: Any) -> str:
        return self.signer.dumps({"p": purpose, "exp": int(time.time()) + expires_in, **claims})

    def unsign(self, token: str, purpose: str) -> dict[str, Any] | None:
        """The claims of a valid, unexpired token for this purpose, else None."""
        try:
            claims = self.signer.loads(token)
        except BadSignature:
            return None
        if not isinstance(claims, dict) or claims.get("p") != purpose:
            return None
        if claims.get("exp", 0) < time.time():
            return None
        return claims

    def path(self, key: str) -> Path:
        target = (self.root / key).resolve()
        if not target.is_relative_to(self.root.resolve()) or key.startswith(STAGING):
            raise StorageError(f"key outside the storage root: {key!r}")
        return target

    def _staging(self, multipart_id: str) -> Path:
        if not multipart_id.replace("-", "").isalnum():
            raise StorageMissing(multipart_id)
        return self.root / STAGING / multipart_id

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(str(error)) from error
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"{self.root} is not writable")

    def presigned_post(
        self, key: str, content_type: str, size: int, expires_in: int, sha256: str = ""
    ) -> PostTicket:
        token = self.sign("post", expires_in, k=key, ct=content_type, size=size)
        url = url_for("storage_local.upload", token=token, _external=True)
        return PostTicket(url=url, fields={"key": key, "Content-Type": content_type})

    def create_multipart(self, key: str, content_type: str) -> str:
        self.path(key)  # refuse a bad key now rather than on completion
        multipart_id = uuid.uuid4().hex
        staging = self._staging(multipart_id)
        try:
            staging.mkdir(parents=True)
            (staging / "meta.json").write_text(json.dumps({"key": key, "ct": content_type}))
        except OSError as error:
            raise StorageError(str(error)) from error
        return multipart_id

    def presign_part(
        self, key: str, multipart_id: str, number: int, expires_in: int, size: int | None = None
    ) -> str:
        claims = {"k": key, "mp": multipart_id, "n": number}
        if size is not None:
            claims["size"] = size
        token = self.sign("part", expires_in, **claims)
        return url_for("storage_local.upload_part", token=token, _external=True)

    def part_path(self, multipart_id: str, number: int) -> Path:
        staging = self._staging(multipart_id)
        if not staging.is_dir():
            raise StorageMissing(multipart_id)
        return staging / f"{number:05d}.part"

    def list_parts(self, key: str, multipart_id: str) -> list[PartInfo]:
        staging = self._staging(multipart_id)
        if not staging.is_dir():
            raise StorageMissing(multipart_id)
        parts = []
        for part in sorted(staging.glob("*.part")):
            stat = part.stat()
            arrived = datetime.fromtimestamp(stat.st_mtime, UTC)
            parts.append(PartInfo(int(part.stem), stat.st_size, part_etag(part), arrived))
        return parts

    def complete_multipart(self, key: str, multipart_id: str, parts: list[PartInfo]) -> None:
        staging = self._staging(multipart_id)
        if not staging.is_dir():
            raise StorageMissing(multipart_id)
        target = self.path(key)
        temporary = target.with_name(target.name + ".joining")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as out:
                for part in parts:
                    with (staging / f"{part.number:05d}.part").open("rb") as source:
                        shutil.copyfileobj(source, out, CHUNK)
            temporary.replace(target)
            shutil.rmtree(staging, ignore_errors=True)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise StorageError(str(error)) from error

    def abort_multipart(self, key: str, multipart_id: str) -> None:
        shutil.rmtree(self._staging(multipart_id), ignore_errors=True)

    def head(self, key: str) -> ObjectInfo | None:
        try:
            stat = self.path(key).stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StorageError(str(error)) from error
        return ObjectInfo(
            key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC), etag=stat_etag(stat)
        )

    def copy(self, source: str, target: str, etag: str, size: int) -> CopyResult:
        """A hard link: instant, and the linked file is checked itself, so a file swapped in
        under the source key after its check is never what the target holds."""
        origin, final = self.path(source), self.path(target)
        temporary = final.with_name(f"{final.name}.{uuid.uuid4().hex}.tmp")
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.link(origin, temporary)
            linked = temporary.stat()
            if stat_etag(linked) != etag:
                raise StorageChanged(source)
            temporary.replace(final)
        except FileNotFoundError as error:
            raise StorageMissing(source) from error
        except OSError as error:
            raise StorageError(str(error)) from error
        finally:
            temporary.unlink(missing_ok=True)
        return CopyResult(linked.st_size)

    def read_range(self, key: str, start: int, length: int) -> bytes:
        try:
            with self.path(key).open("rb") as source:
                source.seek(start)
                return source.read(length)
        except FileNotFoundError as error:
            raise StorageMissing(key) from error
        except OSError as error:
            raise StorageError(str(error)) from error

    def iter_bytes(self, key: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        try:
            source = self.path(key).open("rb")
        except FileNotFoundError as error:
            raise StorageMissing(key) from error
        except OSError as error:
            raise StorageError(str(error)) from error
        with source:
            while chunk := source.read(chunk_size):
                yield chunk

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.write_stream(key, iter([data]))

    def write_stream(
        self, key: str, chunks: Iterator[bytes], limit: int | None = None, replace: bool = True
    ) -> int:
        """Write chunks to the key atomically; refuse (and keep nothing) past `limit` bytes,
        or, unless `replace`, if the key holds an object already (AlreadyStored)."""
        return write_atomically(self.path(key), chunks, limit, replace=replace)

    def delete(self, key: str) -> None:
        try:
            self.path(key).unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(str(error)) from error

    def download_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        token = self.sign("get", expires_in, k=key, name=filename, ct=content_type)
        return url_for("storage_local.download", token=token, _external=True)

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and key.startswith(prefix) and not key.startswith(STAGING):
                yield ObjectInfo(
                    key, path.stat().st_size, datetime.fromtimestamp(path.stat().st_mtime, UTC)
                )

    def list_multiparts(self, prefix: str) -> Iterator[MultipartInfo]:
        staging_root = self.root / STAGING
        if not staging_root.is_dir():
            return
        for meta in sorted(staging_root.glob("*/meta.json")):
            key = json.loads(meta.read_text())["key"]
            if key.startswith(prefix):
                started = datetime.fromtimestamp(meta.stat().st_mtime, UTC)
                yield MultipartInfo(key, meta.parent.name, started)


class TooLarge(StorageError):
    """More bytes arrived than the ticket allows."""


class AlreadyStored(StorageError):
    """The key holds an object already and was not to be replaced."""


def write_atomically(
    target: Path,
    chunks: Iterator[bytes],
    limit: int | None = None,
    make_parents: bool = True,
    replace: bool = True,
) -> int:
    """Stream into a temporary file next to the target, then rename: never a torn file.
    Without `replace`, the file is linked into place, which fails if the target exists."""
    temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
    written = 0
    try:
        if make_parents:
            target.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as out:
            for chunk in chunks:
                written += len(chunk)
                if limit is not None and written > limit:
                    raise TooLarge(f"more than {limit} bytes")
                out.write(chunk)
        if replace:
            temporary.replace(target)
        else:
            os.link(temporary, target)
    except FileExistsError as error:
        raise AlreadyStored(str(target)) from error
    except OSError as error:
        raise StorageError(str(error)) from error
    finally:
        temporary.unlink(missing_ok=True)
    return written


def part_etag(path: Path) -> str:
    """A cheap tag that changes when a part is written again (parts are joined by number,
    and the whole file's SHA-256 is checked on completion, so no digest is needed here)."""
    return stat_etag(path.stat())


def stat_etag(stat: os.stat_result) -> str:
    """A file's tag: every write makes a new file (written aside, then renamed), so a new
    inode or time or size means other bytes."""
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}-{stat.st_ino:x}"'

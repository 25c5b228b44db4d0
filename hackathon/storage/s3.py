"""Any S3 endpoint (AWS, MinIO, Ceph, moto) through boto3."""

from __future__ import annotations

import base64
import binascii
import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

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
    content_disposition,
)

if TYPE_CHECKING:
    from botocore.response import StreamingBody
    from mypy_boto3_s3.type_defs import CopySourceTypeDef

T = TypeVar("T")
MISSING_CODES = {"404", "NoSuchKey", "NoSuchUpload", "NotFound"}
CHANGED_CODES = {"412", "PreconditionFailed"}
# CopyObject copies up to 5 GB in one call (and then computes a full-object SHA-256);
# larger objects are copied in parts by boto3's managed copy.
MAX_SINGLE_COPY = 5 * 1024**3
# Signing a URL talks to nobody. Before one is handed out, storage must have answered
# within this many seconds (else it is asked, once): a browser is not sent to a store
# that is down. See docs/architecture.md, "When things fail".
ANSWERED_SECONDS = 1.0


class S3Storage(Storage):
    name = "s3"

    def __init__(
        self, bucket: str, endpoint_url: str | None, region: str, post_checksum: bool = True
    ) -> None:
        if not bucket:
            raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        self.bucket = bucket
        # POST tickets carry the declared SHA-256 (S3_POST_CHECKSUM=0 for a store that
        # refuses the field; the app checks the SHA-256 on completion either way).
        self.post_checksum = post_checksum
        self.endpoint_url = endpoint_url
        self._answered_at = 0.0  # time.monotonic() of storage's last answer
        # One client per app, made at start-up; short timeouts so a down store fails fast.
        # Self-hosted endpoints (MinIO, Ceph, moto) get path-style URLs: one origin for CSP.
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=BotoConfig(
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=10,
                retries={"max_attempts": 2, "mode": "standard"},
                # Shared by every request thread of the process (urllib3's default is 10).
                max_pool_connections=50,
                s3={"addressing_style": "path" if endpoint_url else "auto"},
            ),
        )

    def _call(self, method: Callable[..., T], **kwargs: Any) -> T:
        try:
            answer = method(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            self._answered_at = time.monotonic()  # it answered, with a refusal
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in MISSING_CODES:
                raise StorageMissing(code) from error
            if code in CHANGED_CODES:
                raise StorageChanged(code) from error
            raise StorageError(f"{code}: {error}") from error
        except BotoCoreError as error:
            self._answered_at = 0.0
            raise StorageError(str(error)) from error
        self._answered_at = time.monotonic()
        return answer

    def check(self) -> None:
        self._call(self.client.head_bucket)

    def _reachable(self) -> None:
        """Raise StorageError unless storage answered just now (asking it if need be)."""
        if time.monotonic() - self._answered_at > ANSWERED_SECONDS:
            self.check()

    def presigned_post(
        self, key: str, content_type: str, size: int, expires_in: int, sha256: str = ""
    ) -> PostTicket:
        self._reachable()
        fields = {"Content-Type": content_type}
        if sha256 and self.post_checksum:
            # S3 computes the SHA-256 of what arrives and refuses other bytes (BadDigest).
            fields["x-amz-checksum-sha256"] = hex_to_b64(sha256)
        conditions: list[Any] = [{name: value} for name, value in fields.items()]
        try:
            post = self.client.generate_presigned_post(
                Bucket=self.bucket,
                Key=key,
                Fields=fields,
                Conditions=[*conditions, ["content-length-range", size, size]],
                ExpiresIn=expires_in,
            )
        except BotoCoreError as error:
            raise StorageError(str(error)) from error
        return PostTicket(url=post["url"], fields=dict(post["fields"]))

    def create_multipart(self, key: str, content_type: str) -> str:
        answer = self._call(self.client.create_multipart_upload, Key=key, ContentType=content_type)
        return answer["UploadId"]

    def presign_part(
        self, key: str, multipart_id: str, number: int, expires_in: int, size: int | None = None
    ) -> str:
        self._reachable()
        return self.client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "UploadId": multipart_id,
                "PartNumber": number,
            },
            ExpiresIn=expires_in,
        )

    def list_parts(self, key: str, multipart_id: str) -> list[PartInfo]:
        parts: list[PartInfo] = []
        marker = 0
        while True:
            page = self._call(
                self.client.list_parts, Key=key, UploadId=multipart_id, PartNumberMarker=marker
            )
            parts.extend(
                PartInfo(p["PartNumber"], p["Size"], p["ETag"], p.get("LastModified"))
                for p in page.get("Parts", [])
            )
            if not page.get("IsTruncated"):
                return parts
            marker = page["NextPartNumberMarker"]

    def complete_multipart(self, key: str, multipart_id: str, parts: list[PartInfo]) -> None:
        self._call(
            self.client.complete_multipart_upload,
            Key=key,
            UploadId=multipart_id,
            MultipartUpload={"Parts": [{"PartNumber": p.number, "ETag": p.etag} for p in parts]},
        )

    def abort_multipart(self, key: str, multipart_id: str) -> None:
        with contextlib.suppress(StorageMissing):
            self._call(self.client.abort_multipart_upload, Key=key, UploadId=multipart_id)

    def head(self, key: str) -> ObjectInfo | None:
        try:
            answer = self._call(self.client.head_object, Key=key)
        except StorageMissing:
            return None
        return ObjectInfo(
            key,
            answer["ContentLength"],
            answer["LastModified"],
            answer.get("ContentType", ""),
            answer.get("ETag", ""),
        )

    def copy(self, source: str, target: str, etag: str, size: int) -> CopyResult:
        origin: CopySourceTypeDef = {"Bucket": self.bucket, "Key": source}
        if size <= MAX_SINGLE_COPY:
            # One server-side call; S3 computes the copy's full SHA-256 as it writes it, so
            # even a multipart upload (which S3 gives no such checksum) is hashed here.
            answer = self._call(
                self.client.copy_object,
                Key=target,
                CopySource=origin,
                CopySourceIfMatch=etag,
                ChecksumAlgorithm="SHA256",
                MetadataDirective="COPY",
            )
            checksum = answer.get("CopyObjectResult", {}).get("ChecksumSHA256")
            return CopyResult(size, b64_to_hex(checksum) if checksum else None)
        try:
            self.client.copy(
                origin,
                self.bucket,
                target,
                ExtraArgs={"CopySourceIfMatch": etag},
                Config=TransferConfig(multipart_chunksize=512 * 1024**2),
            )
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in CHANGED_CODES:
                raise StorageChanged(code) from error
            if code in MISSING_CODES:
                raise StorageMissing(code) from error
            raise StorageError(f"{code}: {error}") from error
        except BotoCoreError as error:
            raise StorageError(str(error)) from error
        return CopyResult(size)  # a copy in parts has no full-object SHA-256: hash it

    def read_range(self, key: str, start: int, length: int) -> bytes:
        if length <= 0:
            return b""
        answer = self._call(
            self.client.get_object, Key=key, Range=f"bytes={start}-{start + length - 1}"
        )
        return self._read(answer["Body"])

    @staticmethod
    def _read(body: StreamingBody) -> bytes:
        try:
            return body.read()
        except BotoCoreError as error:
            raise StorageError(str(error)) from error

    def iter_bytes(self, key: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
        body = self._call(self.client.get_object, Key=key)["Body"]
        try:
            yield from body.iter_chunks(chunk_size)
        except BotoCoreError as error:
            raise StorageError(str(error)) from error
        finally:
            body.close()

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._call(self.client.put_object, Key=key, Body=data, ContentType=content_type)

    def delete(self, key: str) -> None:
        self._call(self.client.delete_object, Key=key)

    def download_url(self, key: str, filename: str, content_type: str, expires_in: int) -> str:
        self._reachable()
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentDisposition": content_disposition(filename),
                "ResponseContentType": content_type,
            },
            ExpiresIn=expires_in,
        )

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    yield ObjectInfo(item["Key"], item["Size"], item["LastModified"])
        except (BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error

    def list_multiparts(self, prefix: str) -> Iterator[MultipartInfo]:
        pages = self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        try:
            for page in pages:
                for item in page.get("Uploads", []):
                    yield MultipartInfo(item["Key"], item["UploadId"], item.get("Initiated"))
        except (BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error


def hex_to_b64(digest: str) -> str:
    return base64.b64encode(bytes.fromhex(digest)).decode("ascii")


def b64_to_hex(checksum: str) -> str | None:
    """A checksum as S3 sends it (base64; a composite one ends in `-N`) in hex, or None."""
    try:
        raw = base64.b64decode(checksum, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None

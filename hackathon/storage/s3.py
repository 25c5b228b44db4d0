"""Any S3 endpoint (AWS, MinIO, Ceph, moto) through boto3."""

from __future__ import annotations

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from hackathon.storage.base import Storage, StorageError


class S3Storage(Storage):
    name = "s3"

    def __init__(self, bucket: str, endpoint_url: str | None, region: str) -> None:
        if not bucket:
            raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        self.bucket = bucket
        # One client per app, made at start-up; short timeouts so a down store fails fast.
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            config=BotoConfig(
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=10,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        )

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(str(error)) from error

"""File storage behind one small interface, with `local` and `s3` backends."""

from __future__ import annotations

from flask import Flask
from flask.typing import ResponseReturnValue

from hackathon.errors import render_error, unavailable
from hackathon.extensions import csrf
from hackathon.storage.base import (
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
    get_storage,
)
from hackathon.storage.cli import storage_cli
from hackathon.storage.local import LocalStorage
from hackathon.storage.s3 import S3Storage
from hackathon.storage.views import bp


def build_storage(app: Flask) -> Storage:
    backend = app.config["STORAGE_BACKEND"]
    if backend == "local":
        return LocalStorage(app.config["STORAGE_LOCAL_ROOT"], app.config["SECRET_KEY"])
    if backend == "s3":
        return S3Storage(
            bucket=app.config["S3_BUCKET"],
            endpoint_url=app.config["S3_ENDPOINT_URL"],
            region=app.config["S3_REGION"],
            post_checksum=bool(app.config.get("S3_POST_CHECKSUM", True)),
        )
    raise RuntimeError(f"Unknown STORAGE_BACKEND {backend!r}: use 'local' or 's3'")


def init_app(app: Flask) -> None:
    app.extensions["storage"] = build_storage(app)
    # The local backend's signed URLs; the token is the authority, as with presigned S3 URLs.
    csrf.exempt(bp)
    app.register_blueprint(bp, url_prefix="/storage/local")
    app.cli.add_command(storage_cli)

    @app.errorhandler(StorageError)
    def storage_down(error: StorageError) -> ResponseReturnValue:
        """Storage that is down, where a view did not say so itself: 503, never 500 (an
        object that is not there is a 404)."""
        if isinstance(error, StorageMissing):
            return render_error(404)
        app.logger.warning("storage unavailable: %s", error)
        return unavailable("storage")


__all__ = [
    "CopyResult",
    "MultipartInfo",
    "ObjectInfo",
    "PartInfo",
    "PostTicket",
    "Storage",
    "StorageChanged",
    "StorageError",
    "StorageMissing",
    "content_disposition",
    "get_storage",
    "init_app",
]

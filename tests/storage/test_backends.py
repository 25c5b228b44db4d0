"""The storage interface, the same on the local folder and on S3 (moto over real HTTP)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from urllib.parse import unquote

import pytest
import requests

from hackathon.storage import PartInfo, StorageChanged, StorageError, StorageMissing
from hackathon.storage.base import ascii_fallback, content_disposition
from hackathon.storage.local import LocalStorage

MB = 1024 * 1024


@pytest.fixture(params=["local", "s3"])
def env(request, app, tmp_path, monkeypatch):
    """(app, storage) for each backend; requests run in the app's request context."""
    if request.param == "s3":
        target = request.getfixturevalue("s3_server").app
    else:
        target = app
        local = LocalStorage(str(tmp_path / "files"), app.config["SECRET_KEY"])
        monkeypatch.setitem(app.extensions, "storage", local)
    with target.test_request_context():
        yield request.param, target, target.extensions["storage"]


def test_objects_round_trip(env):
    _, _, storage = env
    data = b"%PDF-1.4 " + bytes(range(256)) * 100
    storage.put("events/1/a", data, "application/pdf")
    info = storage.head("events/1/a")
    assert (info.key, info.size) == ("events/1/a", len(data))
    assert storage.read_range("events/1/a", 0, 5) == b"%PDF-"
    assert storage.read_range("events/1/a", len(data) - 3, 10) == data[-3:]
    assert b"".join(storage.iter_bytes("events/1/a", chunk_size=1000)) == data
    assert storage.sha256("events/1/a") == hashlib.sha256(data).hexdigest()
    assert [o.key for o in storage.list_objects("events/1/")] == ["events/1/a"]
    storage.delete("events/1/a")
    storage.delete("events/1/a")  # twice is fine
    assert storage.head("events/1/a") is None
    assert list(storage.list_objects("events/")) == []


def test_a_copy_is_made_only_of_the_object_that_was_checked(env):
    name, _, storage = env
    data = b"%PDF-1.4 " + bytes(range(256)) * 100
    storage.put("events/1/ticket", data, "application/pdf")
    checked = storage.head("events/1/ticket")
    assert checked.etag
    copied = storage.copy("events/1/ticket", "events/1/files/ticket", checked.etag, len(data))
    assert copied.size == len(data)
    if name == "s3":  # S3 computed the copy's SHA-256 as it wrote it
        assert copied.sha256 == hashlib.sha256(data).hexdigest()
    else:
        assert copied.sha256 is None
    storage.delete("events/1/ticket")
    assert b"".join(storage.iter_bytes("events/1/files/ticket")) == data
    with pytest.raises(StorageMissing):
        storage.copy("events/1/ticket", "events/1/files/other", checked.etag, len(data))

    storage.put("events/1/ticket", data, "application/pdf")  # written again: another file
    if name == "local":  # moto does not enforce CopySourceIfMatch (S3 answers 412)
        with pytest.raises(StorageChanged):
            storage.copy("events/1/ticket", "events/1/files/again", checked.etag, len(data))
        assert storage.head("events/1/files/again") is None


def test_zip_directories_are_read_from_the_end_only(env):
    _, _, storage = env
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "x" * 50_000)
    storage.put("events/1/deck", buffer.getvalue(), "application/zip")
    calls = []
    original = storage.read_range

    def counting(key, start, length):
        calls.append(length)
        return original(key, start, length)

    storage.read_range = counting
    names = zipfile.ZipFile(storage.open_range("events/1/deck", len(buffer.getvalue()))).namelist()
    assert names == ["[Content_Types].xml", "ppt/presentation.xml"]
    assert sum(calls) < len(buffer.getvalue()) / 2


def test_multipart_parts_are_listed_joined_and_aborted(env):
    kind, app, storage = env
    parts = [b"a" * (5 * MB), b"b" * (5 * MB), b"c" * 100]
    upload = storage.create_multipart("events/2/big", "video/mp4")
    client = app.test_client()
    for number, data in ((3, parts[2]), (1, parts[0])):
        url = storage.presign_part("events/2/big", upload, number, 60)
        status = (
            requests.put(url, data=data, timeout=30).status_code
            if kind == "s3"
            else client.put(url, data=data).status_code
        )
        assert status == 200
    listed = storage.list_parts("events/2/big", upload)
    assert [(p.number, p.size) for p in listed] == [(1, 5 * MB), (3, 100)]
    assert [m.multipart_id for m in storage.list_multiparts("events/")] == [upload]
    url = storage.presign_part("events/2/big", upload, 2, 60)
    assert (
        requests.put(url, data=parts[1], timeout=30).status_code
        if kind == "s3"
        else client.put(url, data=parts[1]).status_code
    ) == 200
    storage.complete_multipart("events/2/big", upload, storage.list_parts("events/2/big", upload))
    assert storage.sha256("events/2/big") == hashlib.sha256(b"".join(parts)).hexdigest()
    assert list(storage.list_multiparts("events/")) == []
    with pytest.raises(StorageMissing):
        storage.list_parts("events/2/big", upload)

    other = storage.create_multipart("events/2/other", "video/mp4")
    storage.abort_multipart("events/2/other", other)
    storage.abort_multipart("events/2/other", other)  # twice is fine
    assert list(storage.list_multiparts("events/")) == []
    with pytest.raises(StorageError):  # S3 says NoSuchUpload; moto answers 500
        storage.complete_multipart("events/2/other", other, [PartInfo(1, 1, '"x"')])


def test_download_urls_name_the_file_and_expire(env):
    kind, app, storage = env
    storage.put("events/3/f", b"%PDF-1.4", "application/pdf")
    url = storage.download_url("events/3/f", "발표자료_최종.pdf", "application/pdf", 60)
    assert "발표" not in url
    if kind == "s3":
        response = requests.get(url, timeout=30)
        status, disposition = response.status_code, response.headers["Content-Disposition"]
    else:
        response = app.test_client().get(url)
        status, disposition = response.status_code, response.headers["Content-Disposition"]
        response.close()
        expired = storage.download_url("events/3/f", "a.pdf", "application/pdf", -1)
        assert app.test_client().get(expired).status_code == 404
    assert status == 200
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "발표자료_최종.pdf"


def test_s3_post_policies_pin_key_size_and_type(env):
    kind, _, storage = env
    if kind != "s3":
        pytest.skip("the local backend checks the same things in its own endpoint")
    ticket = storage.presigned_post("events/4/k", "application/pdf", 1234, 120)
    policy = json.loads(base64.b64decode(ticket.fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": "events/4/k"} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1234, 1234] in conditions
    assert ticket.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"  # signature version 4
    assert not any("x-amz-checksum-sha256" in c for c in conditions if isinstance(c, dict))

    # With the declared SHA-256, the signed policy pins it: S3 refuses other bytes itself.
    digest = hashlib.sha256(b"the file").hexdigest()
    pinned = storage.presigned_post("events/4/k", "application/pdf", 8, 120, sha256=digest)
    checksum = base64.b64encode(hashlib.sha256(b"the file").digest()).decode()
    assert pinned.fields["x-amz-checksum-sha256"] == checksum
    policy = json.loads(base64.b64decode(pinned.fields["policy"]))
    assert {"x-amz-checksum-sha256": checksum} in policy["conditions"]


def test_the_local_upload_url_enforces_its_ticket(app, tmp_path):
    storage = LocalStorage(str(tmp_path / "files"), app.config["SECRET_KEY"])
    previous, app.extensions["storage"] = app.extensions["storage"], storage
    try:
        with app.test_request_context():
            ticket = storage.presigned_post("events/5/k", "application/pdf", 10, 60)
            expired = storage.presigned_post("events/5/k", "application/pdf", 10, -1)
            part_token = storage.sign("part", 60, k="events/5/k", mp="x", n=1)
        client = app.test_client()

        def post(url, fields, data):
            return client.post(
                url,
                data={**fields, "file": (io.BytesIO(data), "f")},
                content_type="multipart/form-data",
            )

        assert post(ticket.url, ticket.fields, b"x" * 11).status_code == 400
        assert post(ticket.url, ticket.fields, b"x" * 9).status_code == 400
        wrong_type = {**ticket.fields, "Content-Type": "text/html"}
        assert post(ticket.url, wrong_type, b"x" * 10).status_code == 403
        assert post(expired.url, expired.fields, b"x" * 10).status_code == 403
        # A token signed for another purpose does not open the upload door.
        assert (
            post(f"/storage/local/upload/{part_token}", ticket.fields, b"x" * 10).status_code == 403
        )
        assert storage.head("events/5/k") is None
        assert post(ticket.url, ticket.fields, b"x" * 10).status_code == 204
        assert storage.head("events/5/k").size == 10
    finally:
        app.extensions["storage"] = previous


def test_local_keys_cannot_leave_the_root(tmp_path):
    storage = LocalStorage(str(tmp_path / "files"), "secret")
    for key in ("../outside", "/etc/passwd", ".multipart/x/meta.json"):
        with pytest.raises(StorageError):
            storage.put(key, b"x", "text/plain")
    assert storage.sign("get", 60, k="a") != storage.sign("get", 60, k="b")
    assert storage.unsign("garbage", "get") is None
    token = storage.sign("get", 60, k="a")
    assert storage.unsign(token, "post") is None
    assert storage.unsign(token, "get")["k"] == "a"
    assert LocalStorage(str(tmp_path), "other-secret").unsign(token, "get") is None


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("발표자료_최종.pdf", "download.pdf"),
        ("final deck (v2).pdf", "final deck (v2).pdf"),
        ('a"b;c.pdf', "a_b_c.pdf"),
        ("소스코드.zip", "download.zip"),
        ("no-extension", "no-extension"),
    ],
)
def test_content_disposition_is_rfc_5987(name, fallback):
    assert ascii_fallback(name) == fallback
    header = content_disposition(name)
    assert header.startswith(f"attachment; filename=\"{fallback}\"; filename*=UTF-8''")
    assert unquote(header.split("UTF-8''")[1]) == name
    assert header.isascii()


def test_csp_lets_the_browser_reach_the_s3_endpoint(s3_server):
    response = s3_server.client().get("/login")
    policy = response.headers["Content-Security-Policy"]
    connect = next(p for p in policy.split("; ") if p.startswith("connect-src"))
    assert connect == f"connect-src 'self' {s3_server.endpoint}"


def test_the_local_upload_url_says_in_korean_when_the_disk_fails(app, tmp_path, monkeypatch):
    storage = LocalStorage(str(tmp_path / "files"), app.config["SECRET_KEY"])
    monkeypatch.setitem(app.extensions, "storage", storage)
    with app.test_request_context():
        ticket = storage.presigned_post("events/6/k", "application/pdf", 3, 60)

    def disk_full(*args, **kwargs):
        raise StorageError("No space left on device")

    monkeypatch.setattr(LocalStorage, "write_stream", disk_full)
    response = app.test_client().post(
        ticket.url,
        data={**ticket.fields, "file": (io.BytesIO(b"abc"), "f")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "ko"},
    )
    assert response.status_code == 503
    assert "저장" in response.json["error"]["message"]

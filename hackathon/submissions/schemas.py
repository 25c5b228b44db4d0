"""Shapes of the submission API's bodies (they also build the OpenAPI document)."""

from __future__ import annotations

from marshmallow import Schema, fields


class UploadRequestSchema(Schema):
    slot = fields.String(required=True, metadata={"example": "slides"})
    filename = fields.String(required=True, metadata={"example": "발표자료_최종.pdf"})
    size = fields.Integer(required=True, metadata={"description": "bytes"})
    sha256 = fields.String(required=True, metadata={"description": "hex, computed by the client"})


class UploadTicketSchema(Schema):
    upload_id = fields.String(required=True)
    method = fields.String(required=True, metadata={"description": "POST (form) or PUT (parts)"})
    url = fields.String(
        required=True,
        metadata={"description": "form POST target; for multipart, the part-URL endpoint"},
    )
    fields_ = fields.Dict(data_key="fields", metadata={"description": "form fields, file last"})
    headers = fields.Dict()
    expires_at = fields.DateTime(required=True)
    multipart = fields.Boolean(required=True)
    part_size = fields.Integer()
    part_count = fields.Integer()
    resumed = fields.Boolean(metadata={"description": "an unfinished upload of this file"})
    parts_url = fields.String(allow_none=True)
    complete_url = fields.String(required=True)
    cancel_url = fields.String(required=True)


class UploadReceiptSchema(Schema):
    file_name = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    received_at = fields.DateTime(required=True, metadata={"description": "server time"})


class UploaderSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class SubmissionFileSchema(Schema):
    id = fields.Integer(required=True)
    upload_id = fields.String(required=True)
    slot = fields.String(required=True)
    version = fields.Integer(allow_none=True)
    status = fields.String(required=True, metadata={"description": "pending or ready"})
    name = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    content_type = fields.String()
    detected_type = fields.String()
    uploaded_at = fields.DateTime(allow_none=True)
    uploaded_by = fields.Nested(UploaderSchema, allow_none=True)
    download_url = fields.String(allow_none=True)
    receipt = fields.Nested(UploadReceiptSchema, allow_none=True)


class FileSlotSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    label_en = fields.String(allow_none=True)
    extensions = fields.List(fields.String(), required=True)
    max_bytes = fields.Integer(required=True)
    required = fields.Boolean(required=True)
    current = fields.Nested(SubmissionFileSchema, allow_none=True)
    versions = fields.List(
        fields.Nested(SubmissionFileSchema), metadata={"description": "newest first"}
    )


class SubmissionTeamSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class TeamQuotaSchema(Schema):
    used = fields.Integer()
    limit = fields.Integer()


class SubmissionSchema(Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True)
    team = fields.Nested(SubmissionTeamSchema, required=True)
    track = fields.String(allow_none=True)
    title = fields.String()
    summary = fields.String(metadata={"description": "Markdown"})
    summary_html = fields.String(metadata={"description": "sanitised HTML"})
    repo_url = fields.String()
    demo_url = fields.String()
    status = fields.String(metadata={"description": "draft or submitted"})
    submitted_at = fields.DateTime(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    extended_until = fields.DateTime(allow_none=True)
    editable = fields.Boolean()
    read_only_reason = fields.String(allow_none=True)
    quota = fields.Nested(TeamQuotaSchema)
    slots = fields.List(fields.Nested(FileSlotSchema))


class UploadPartNumbersSchema(Schema):
    part_numbers = fields.List(fields.Integer(), required=True)


class UploadPartUrlSchema(Schema):
    part_number = fields.Integer()
    url = fields.String()


class UploadPartUrlsSchema(Schema):
    parts = fields.List(fields.Nested(UploadPartUrlSchema))
    expires_at = fields.DateTime()


class UploadedPartSchema(Schema):
    part_number = fields.Integer()
    size = fields.Integer()
    etag = fields.String()


class UploadedPartsSchema(Schema):
    parts = fields.List(fields.Nested(UploadedPartSchema))
    part_size = fields.Integer()
    part_count = fields.Integer()

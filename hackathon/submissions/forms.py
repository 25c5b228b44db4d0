from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from hackathon.web import MomentField, WholeNumberField

# What <input type=datetime-local> sends (with or without seconds).
TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
TIME_FORMAT = TIME_FORMATS[0]


class SubmissionForm(FlaskForm):
    title = StringField(_l("Project title"), validators=[Optional(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)])
    repo_url = StringField(_l("Repository URL"), validators=[Optional(), Length(max=500)])
    demo_url = StringField(_l("Demo URL"), validators=[Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class SlotForm(FlaskForm):
    key = StringField(_l("Key"), validators=[DataRequired(), Length(max=32)])
    label = StringField(_l("Name (Korean)"), validators=[DataRequired(), Length(max=100)])
    label_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=100)])
    extensions = StringField(_l("File types"), validators=[DataRequired(), Length(max=200)])
    max_mb = WholeNumberField(
        _l("Maximum size (MB)"), validators=[DataRequired(), NumberRange(min=1, max=5120)]
    )
    required = BooleanField(_l("Required"))


class ExtensionForm(FlaskForm):
    until = MomentField(_l("Extended until"), format=TIME_FORMATS, validators=[Optional()])

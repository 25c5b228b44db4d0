"""The cohort record's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hackathon.cohort.rules import COMMENT_MAX, NOTE_MAX, SCORES
from hackathon.events.forms import TIME_FORMATS

# ---------------------------------------------------------------- peer review and check-ins

SCORE_LABELS = {
    1: _l("1 — contributed very little"),
    2: _l("2 — less than their share"),
    3: _l("3 — their fair share"),
    4: _l("4 — more than their share"),
    5: _l("5 — carried the team"),
}


class PeerReviewForm(FlaskForm):
    score = RadioField(
        _l("Contribution"),
        choices=[SelectChoice(n, SCORE_LABELS[n]) for n in SCORES],
        coerce=int,
        validators=[InputRequired(message=_l("Give a rating from 1 to 5."))],
    )
    comment = TextAreaField(
        _l("Comment (optional; teammates never see who wrote it)"),
        validators=[Optional(), Length(max=COMMENT_MAX)],
    )


class MilestoneForm(FlaskForm):
    title = StringField(_l("Title (Korean)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=200)])
    prompt = TextAreaField(
        _l("What the note should answer"), validators=[Optional(), Length(max=NOTE_MAX)]
    )
    due_at = DateTimeLocalField(
        _l("Due (the event's time zone)"),
        format=TIME_FORMATS,
        validators=[InputRequired(message=_l("Give the date and time the note is due."))],
        render_kw={"step": 60},
    )
    position = IntegerField(_l("Position"), validators=[Optional(), NumberRange(min=0, max=999)])


class CheckInForm(FlaskForm):
    body = TextAreaField(
        _l("Progress note (Markdown)"),
        validators=[DataRequired(message=_l("Write something first.")), Length(max=NOTE_MAX)],
    )


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[DataRequired(message=_l("Write something first.")), Length(max=COMMENT_MAX)],
    )

"""The cohort's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from hackathon.cohort.rules import COMMENT_MAX, NOTE_MAX, SCORES
from hackathon.events.forms import TIME_FORMATS
from hackathon.web import MomentField, WholeNumberField, whole_number

# ------------------------------------------------ individual awards and the job fair


class IndividualAwardForm(FlaskForm):
    user_id = SelectField(_l("Trainee"), coerce=whole_number, validate_choice=False)
    name = StringField(_l("Award name (Korean)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Award name (English)"), validators=[Optional(), Length(max=200)])
    citation = TextAreaField(_l("Citation"), validators=[Optional(), Length(max=2000)])


class FairCompanyForm(FlaskForm):
    company_id = SelectField(
        _l("Company"), coerce=whole_number, validate_choice=False, validators=[DataRequired()]
    )
    capacity = WholeNumberField(
        _l("Interview places"), default=3, validators=[DataRequired(), NumberRange(1, 1000)]
    )


class FairStateForm(FlaskForm):
    state = HiddenField(validators=[DataRequired(), AnyOf(["draft", "open", "closed"])])


class OptForm(FlaskForm):
    action = HiddenField(validators=[DataRequired(), AnyOf(["in", "out"])])


class PlainForm(FlaskForm):
    """Only its CSRF token (buttons that remove something)."""


def choices_form(companies: list[tuple[int, str]], current: list[int]) -> FlaskForm:
    """One choice list per company, first choice first; each may be left empty."""

    class ChoicesForm(FlaskForm):
        pass

    options = [SelectChoice(0, "—"), *(SelectChoice(i, name) for i, name in companies)]
    for rank in range(1, len(companies) + 1):
        field = SelectField(
            _l("Choice %(rank)d", rank=rank), coerce=whole_number, choices=options, default=0
        )
        setattr(ChoicesForm, f"choice_{rank}", field)
    form = ChoicesForm()
    if not form.is_submitted():
        for rank, company_id in enumerate(current, start=1):
            getattr(form, f"choice_{rank}").data = company_id
    form.ranks = [getattr(form, f"choice_{rank}") for rank in range(1, len(companies) + 1)]
    return form


# Portfolios ----------------------------------------------------------------------------


class PortfolioForm(FlaskForm):
    """The portfolio's profile; the projects, files and feedback chosen are read beside it
    (one checkbox each, named by event)."""

    headline = StringField(
        _l("Headline (one line about you)"), validators=[Optional(), Length(max=200)]
    )
    about = TextAreaField(_l("About you (Markdown)"), validators=[Optional(), Length(max=4000)])
    skills = StringField(_l("Skills"), validators=[Optional(), Length(max=400)])
    links = TextAreaField(
        _l("Links (one web address a line)"), validators=[Optional(), Length(max=3100)]
    )
    public = BooleanField(_l("Publish my portfolio"))


# End of portfolios ---------------------------------------------------------------------


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
        coerce=whole_number,
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
    due_at = MomentField(
        _l("Due (the event's time zone)"),
        format=TIME_FORMATS,
        validators=[InputRequired(message=_l("Give the date and time the note is due."))],
        render_kw={"step": 60},
    )
    position = WholeNumberField(
        _l("Position"), validators=[Optional(), NumberRange(min=0, max=999)]
    )


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

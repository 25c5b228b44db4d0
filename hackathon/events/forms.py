from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from hackathon.events.models import (
    DEFAULT_SCORING_MODE,
    KIND_LABELS,
    REGISTRATION_LABELS,
    ROLE_LABELS,
    EventKind,
    Registration,
    Role,
    ScoringMode,
)
from hackathon.web import MomentField, WholeNumberField, whole_number

# What a datetime-local input sends: minutes, or seconds when the browser adds them.
TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def _moment(label: str) -> MomentField:
    return MomentField(
        label,
        format=TIME_FORMATS,
        validators=[Optional()],
        render_kw={"step": 60},
    )


def web_address(form: FlaskForm, field: Field) -> None:
    """Only http and https links: a `javascript:` website would run in the visitor's page."""
    if field.data and not field.data.lower().startswith(("http://", "https://")):
        raise ValidationError(_l("Give an address starting with http:// or https://."))


class EventForm(FlaskForm):
    slug = StringField(_l("Address (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name (Korean)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    program_id = SelectField(_l("Program"), coerce=whole_number, validators=[Optional()])
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in EventKind]
    )
    timezone = StringField(_l("Time zone"), default="Asia/Seoul", validators=[DataRequired()])
    registration_opens_at = _moment(_l("Registration opens"))
    team_formation_opens_at = _moment(_l("Team formation opens"))
    teams_lock_at = _moment(_l("Teams lock"))
    submissions_open_at = _moment(_l("Submissions open"))
    submissions_close_at = _moment(_l("Submissions close"))
    grace_minutes = WholeNumberField(
        _l("Grace period (minutes)"), default=0, validators=[NumberRange(min=0, max=1440)]
    )
    judging_close_at = _moment(_l("Judging closes"))
    team_min = WholeNumberField(
        _l("Minimum team size"), default=1, validators=[NumberRange(min=1, max=50)]
    )
    team_max = WholeNumberField(
        _l("Maximum team size"), default=5, validators=[NumberRange(min=1, max=50)]
    )
    judges_per_submission = WholeNumberField(
        _l("Judges per submission"), default=3, validators=[NumberRange(min=1, max=50)]
    )
    scoring_mode = SelectField(
        _l("Scoring mode"),
        choices=[
            SelectChoice(ScoringMode.ZSCORE.value, _l("Per-judge normalized (z-score)")),
            SelectChoice(ScoringMode.RAW.value, _l("Raw mean")),
            SelectChoice(
                ScoringMode.OFFSET.value, _l("Team quality plus judge offset (least squares)")
            ),
        ],
        default=DEFAULT_SCORING_MODE.value,
    )
    registration = SelectField(
        _l("Registration"),
        choices=[SelectChoice(r.value, REGISTRATION_LABELS[r]) for r in Registration],
        default=Registration.CLOSED.value,
    )


class ProgramForm(FlaskForm):
    slug = StringField(_l("Address (slug)"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name (Korean)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])


class CompanyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            web_address,
            URL(message=_l("Give a complete web address.")),
            Length(max=500),
        ],
    )


class AddPersonForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in Role])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=200)])
    invite = BooleanField(_l("Send an invitation to set a password"), default=True)


class RosterUploadForm(FlaskForm):
    file = FileField(
        _l("Roster file (CSV or Excel .xlsx)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
    )


class RosterConfirmForm(FlaskForm):
    invite = BooleanField(_l("Invite the new people"), default=True)


class RegisterForm(FlaskForm):
    message = TextAreaField(
        _l("A note to the organizers (optional)"), validators=[Optional(), Length(max=2000)]
    )

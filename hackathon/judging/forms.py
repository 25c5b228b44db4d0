"""Forms of the organizer pages (the scoring form is built per criterion in its view)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hackathon.web import DecimalNumberField, MomentField, WholeNumberField, whole_number


class CriterionForm(FlaskForm):
    name = StringField(_l("Name (Korean)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=100)])
    description = TextAreaField(
        _l("Description (Korean)"), validators=[Optional(), Length(max=5000)]
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[Optional(), Length(max=5000)]
    )
    # A float, not a Decimal: a signalling NaN typed as the weight made the Decimal range
    # check raise; the rubric service refuses what is not finite and above 0.
    weight = DecimalNumberField(
        _l("Weight"), default=1, validators=[InputRequired(), NumberRange(min=0)]
    )
    min_score = WholeNumberField(_l("Lowest score"), default=1, validators=[InputRequired()])
    max_score = WholeNumberField(_l("Highest score"), default=10, validators=[InputRequired()])
    levels_ko = TextAreaField(
        _l("What the scores mean (Korean)"), validators=[Optional(), Length(max=5000)]
    )
    levels_en = TextAreaField(
        _l("What the scores mean (English)"), validators=[Optional(), Length(max=5000)]
    )


class UnlockForm(FlaskForm):
    reason = StringField(
        _l("Why must the rubric change?"), validators=[DataRequired(), Length(max=500)]
    )


class AssignForm(FlaskForm):
    k = WholeNumberField(
        _l("Judges per team"), validators=[InputRequired(), NumberRange(min=1, max=50)]
    )
    all_teams = BooleanField(_l("Also teams without a submission (live pitch judging)"))


class AddAssignmentForm(FlaskForm):
    judge_id = SelectField(_l("Judge"), coerce=whole_number)
    team_id = SelectField(_l("Team"), coerce=whole_number)


class ConflictForm(FlaskForm):
    """A conflict declared by an organizer for a judge."""

    judge_id = SelectField(_l("Judge"), coerce=whole_number)
    team_id = SelectField(_l("Team"), coerce=whole_number)
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class DeclareForm(FlaskForm):
    """A conflict a judge declares for themselves."""

    team_id = SelectField(_l("Team"), coerce=whole_number)
    reason = StringField(
        _l("Why you should not judge this team"), validators=[DataRequired(), Length(max=1000)]
    )


class CalibrationForm(FlaskForm):
    """A team's submission made a calibration item."""

    team_id = SelectField(_l("Team"), coerce=whole_number)


# The pitch day (views/schedule.py). Times are wall-clock times in the event's time zone.
LOCAL_TIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class ScheduleForm(FlaskForm):
    rooms = TextAreaField(_l("Rooms, one per line"), validators=[DataRequired(), Length(max=2000)])
    start = MomentField(
        _l("First pitch (event time)"), format=LOCAL_TIME, validators=[InputRequired()]
    )
    slot_minutes = WholeNumberField(
        _l("Minutes per pitch"), default=10, validators=[InputRequired(), NumberRange(1, 240)]
    )
    break_every = WholeNumberField(
        _l("A break after every … pitches (0: none)"),
        default=0,
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    break_minutes = WholeNumberField(
        _l("Minutes per break"), default=10, validators=[InputRequired(), NumberRange(0, 240)]
    )
    seed = HiddenField()


class MoveSlotForm(FlaskForm):
    room_id = SelectField(_l("Room"), coerce=whole_number)
    start = MomentField(
        _l("New time (event time)"), format=LOCAL_TIME, validators=[InputRequired()]
    )

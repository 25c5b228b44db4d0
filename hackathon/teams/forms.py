from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from hackathon.teams.services.tracks import CAPACITY_MAX
from hackathon.web import WholeNumberField, whole_number


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=100)])
    description = TextAreaField(
        _l("What the team wants to build (optional)"), validators=[Optional(), Length(max=2000)]
    )


class JoinForm(FlaskForm):
    code = StringField(_l("Invite code"), validators=[DataRequired(), Length(max=40)])


class RenameForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=100)])


class RequestForm(FlaskForm):
    message = TextAreaField(
        _l("A message to the captain (optional)"), validators=[Optional(), Length(max=1000)]
    )


class OpenPlacesForm(FlaskForm):
    open_places = WholeNumberField(
        _l("Open places"), default=0, validators=[NumberRange(min=0, max=50)]
    )
    wanted_skills = StringField(
        _l("Skills you are looking for"), validators=[Optional(), Length(max=300)]
    )


class SeekerForm(FlaskForm):
    skills = StringField(_l("Your skills"), validators=[DataRequired(), Length(max=300)])
    note = TextAreaField(
        _l("A few words about you (optional)"), validators=[Optional(), Length(max=500)]
    )


class TrackForm(FlaskForm):
    name = StringField(_l("Name (Korean)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(
        _l("Description (Korean)"), validators=[Optional(), Length(max=5000)]
    )
    description_en = TextAreaField(
        _l("Description (English)"), validators=[Optional(), Length(max=5000)]
    )
    company_id = SelectField(_l("Company"), coerce=whole_number, validators=[Optional()])
    capacity = WholeNumberField(
        _l("Capacity (teams)"), default=3, validators=[NumberRange(min=0, max=CAPACITY_MAX)]
    )


class MoveForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=whole_number)
    team_id = SelectField(_l("Into team"), coerce=whole_number)


def preferences_form(tracks: list, needed: int, current: list[int]) -> FlaskForm:
    """A form with one choice list per rank, first choice first."""

    class PreferencesForm(FlaskForm):
        pass

    choices = [SelectChoice(0, "—"), *(SelectChoice(t.id, t.display_name) for t in tracks)]
    for rank in range(1, needed + 1):
        field = SelectField(
            _l("Choice %(rank)d", rank=rank), coerce=whole_number, choices=choices, default=0
        )
        setattr(PreferencesForm, f"choice_{rank}", field)
    form = PreferencesForm()
    if not form.is_submitted():
        for rank, track_id in enumerate(current[:needed], start=1):
            getattr(form, f"choice_{rank}").data = track_id
    form.ranks = [getattr(form, f"choice_{rank}") for rank in range(1, needed + 1)]
    return form

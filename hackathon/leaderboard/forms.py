from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from hackathon.leaderboard.models import BoardState


class StateForm(FlaskForm):
    state = HiddenField(validators=[DataRequired(), AnyOf([str(s) for s in BoardState])])


class AwardForm(FlaskForm):
    name = StringField(_l("Award name (Korean)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Award name (English)"), validators=[Optional(), Length(max=200)])
    team_id = SelectField(_l("Team"), coerce=int, validate_choice=False)
    company_id = SelectField(
        _l("Company (for a company's prize)"), coerce=int, validate_choice=False
    )


class MoveForm(FlaskForm):
    step = IntegerField(validators=[AnyOf([-1, 1])])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token (delete buttons)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from hackathon.leaderboard.models import BoardState
from hackathon.web import WholeNumberField, whole_number


class StateForm(FlaskForm):
    state = HiddenField(validators=[DataRequired(), AnyOf([str(s) for s in BoardState])])


class AwardForm(FlaskForm):
    name = StringField(_l("Award name (Korean)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Award name (English)"), validators=[Optional(), Length(max=200)])
    team_id = SelectField(_l("Team"), coerce=whole_number, validate_choice=False)
    company_id = SelectField(
        _l("Company (for a company's prize)"), coerce=whole_number, validate_choice=False
    )


class MoveForm(FlaskForm):
    step = WholeNumberField(validators=[AnyOf([-1, 1])])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token (delete buttons)."""


class ExtraJudgesForm(FlaskForm):
    """N more judges for each team at the prize cut-off (the fairness page)."""

    n = WholeNumberField(
        _l("More judges per team"), default=1, validators=[DataRequired(), NumberRange(1, 10)]
    )
    cut_off = WholeNumberField(_l("Prize cut-off"), validators=[Optional(), NumberRange(min=1)])


# The state buttons: label and hint of each state an organizer can move the board to.
STATE_ACTIONS = {
    BoardState.HIDDEN: (_l("Hide"), _l("Hide the leaderboard from the public")),
    BoardState.LIVE: (_l("Show live"), _l("The public sees the current results")),
    BoardState.FROZEN: (_l("Freeze"), _l("The public keeps seeing a snapshot taken now")),
    BoardState.PUBLISHED: (
        _l("Publish"),
        _l("Final results and awards, from a snapshot taken now"),
    ),
}


def state_actions(current: str) -> list[tuple[str, str, str]]:
    """(state, label, hint) of every state but the current one."""
    return [
        (str(state), str(label), str(hint))
        for state, (label, hint) in STATE_ACTIONS.items()
        if state != current
    ]


class VoteForm(FlaskForm):
    """A people's choice vote from the page (the script sends the same to the API)."""

    team_id = WholeNumberField(_l("Team"), validators=[DataRequired()])


class VotingForm(FlaskForm):
    """Organizers open ("1") or close ("0") the vote."""

    open = HiddenField(validators=[AnyOf(["1", "0"])])

"""The cohort record's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

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

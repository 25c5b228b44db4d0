from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from hackathon.accounts.services import (
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    BadEmail,
    is_valid_email,
)

# Language names are written in their own language, as every switcher does.
LOCALE_CHOICES = [
    SelectChoice("", _l("Automatic (from the browser)")),
    SelectChoice("ko", "한국어", render_kw={"lang": "ko"}),
    SelectChoice("en", "English", render_kw={"lang": "en"}),
]


def valid_email(form: FlaskForm, field: EmailField) -> None:
    if field.data and not is_valid_email(field.data):
        raise ValidationError(str(BadEmail.message))


def _new_password_length() -> Length:
    return Length(
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
        message=_l(
            "Use %(min)d to %(max)d characters for the password.",
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
        ),
    )


def _name_length() -> Length:
    return Length(
        max=MAX_NAME_LENGTH,
        message=_l("Enter a name of at most %(n)d characters.", n=MAX_NAME_LENGTH),
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    next = HiddenField()


class SignupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), _name_length()])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), valid_email])
    password = PasswordField(_l("Password"), validators=[DataRequired(), _new_password_length()])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), _name_length()])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES, default="")


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), _new_password_length()])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The passwords differ."))],
    )

"""The e-mail settings form: one on/off per kind of notification."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import BooleanField

from hackathon.notifications.rules import KINDS


class MailSettingsForm(FlaskForm):
    """Built per request with a checkbox per kind (`settings_form`)."""


def settings_form(current: Mapping[str, bool]) -> MailSettingsForm:
    """A field per kind, named after it, ticked where the person gets that kind by e-mail
    (on a POST it reads the sent form, where an unticked box is simply absent)."""

    class Form(MailSettingsForm):
        pass

    for name, kind in KINDS.items():
        setattr(Form, name, BooleanField(kind.label, default=current.get(name, True)))
    return Form()


def chosen(form: MailSettingsForm) -> dict[str, bool]:
    return {name: bool(form[name].data) for name in KINDS}

"""`hackathon.web`: a page write commits once, or leaves nothing and says why."""

from __future__ import annotations

import pytest
from flask import session
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectChoice, SelectField, StringField

from hackathon.accounts.models import User
from hackathon.errors import Conflict, DomainError, NotFound, ValidationFailed
from hackathon.events.models import Company
from hackathon.web import (
    DecimalNumberField,
    MomentField,
    WholeNumberField,
    attach_errors,
    flash_form_errors,
    whole_number,
    writing,
)
from tests.factories import make_user


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Name")
    website = StringField("Website")


def _flashed(with_categories: bool = False) -> list:
    """What was flashed since the last call (`get_flashed_messages` answers once a request)."""
    flashes = session.pop("_flashes", [])
    return flashes if with_categories else [message for _category, message in flashes]


def _company(name: str = "회사") -> None:
    from hackathon.extensions import db

    db.session.add(Company(name=name, description="", website=""))
    db.session.flush()


def _write_then_fail(error: BaseException, **options) -> None:
    with writing(**options):
        _company()
        raise error


def _companies(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Company.id)))


def test_a_write_that_succeeds_is_committed_once(app, db):
    with app.test_request_context("/"), writing() as write:
        _company()
    assert write.ok
    assert write.error is None
    db.session.rollback()  # committed: a rollback cannot undo it
    assert _companies(db) == 1


def test_a_refused_write_leaves_nothing_and_the_message_under_the_field(app, db):
    with app.test_request_context("/", headers={"Accept-Language": "ko"}):
        form = NameForm(formdata=None)
        with writing(form) as write:
            _company()
            raise ValidationFailed(fields={"name": str(_l("Unknown company."))})
        assert not write.ok
        assert isinstance(write.error, ValidationFailed)
        assert form.name.errors == ["알 수 없는 기업입니다."]
        assert _flashed() == []
    assert _companies(db) == 0


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ko", "이미 사용 중인 주소입니다."), ("en", "This address is already in use.")],
)
def test_a_message_without_a_field_goes_under_the_one_named_or_on_top(app, db, lang, expected):
    from hackathon.events.services import SlugTaken

    with app.test_request_context("/", headers={"Accept-Language": lang}):
        form = NameForm(formdata=None)
        with writing(form, field="website"):
            _company()
            raise SlugTaken()
        assert form.website.errors == [expected]
        with writing(form):
            _company()
            raise SlugTaken()
        assert _flashed(with_categories=True) == [("error", expected)]
    assert _companies(db) == 0


def test_fields_the_form_lacks_are_flashed_not_lost(app, db):
    with app.test_request_context("/"):
        form = NameForm(formdata=None)
        error = ValidationFailed(fields={"name": "bad name", "logo": "bad logo"})
        attach_errors(form, error)
        assert form.name.errors == ["bad name"]
        assert _flashed() == ["bad logo"]
        attach_errors(None, error)
        assert _flashed() == ["bad name", "bad logo"]


def test_without_a_form_errors_go_on_to_the_apps_handlers_after_a_rollback(app, db):
    with app.test_request_context("/"):
        with pytest.raises(Conflict):
            _write_then_fail(Conflict())
        assert _companies(db) == 0
        # Unless the view catches them: flashed, and the view carries on.
        with writing(catch=Conflict) as write:
            _company()
            raise Conflict("taken")
        assert (write.ok, _flashed()) == (False, ["taken"])
        # Quiet: the view says it in its own words.
        with writing(catch=Conflict, quiet=True) as write:
            raise Conflict("taken")
        assert isinstance(write.error, Conflict)
        assert _flashed() == []
        # Errors it does not name still go on.
        with pytest.raises(NotFound):
            _write_then_fail(NotFound(), catch=Conflict)
    assert _companies(db) == 0


def test_any_other_exception_rolls_back_too(app, db):
    with app.test_request_context("/"), pytest.raises(ZeroDivisionError):
        _write_then_fail(ZeroDivisionError(), form=NameForm())
    assert _companies(db) == 0


def test_kept_errors_commit_what_was_flushed_and_go_on(app, db):
    class Refused(DomainError):
        pass

    with app.test_request_context("/"), pytest.raises(Refused):
        _write_then_fail(Refused(), keep=Refused)
    assert _companies(db) == 1


def test_form_errors_of_a_form_from_another_page_are_flashed_with_their_labels(app):
    with app.test_request_context("/"):
        form = NameForm(formdata=None)
        form.name.errors = ["too long"]
        flash_form_errors(form)
        assert _flashed() == ["Name: too long"]


# Through real pages: the refusal shows in the reader's language and nothing is written.


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ko", "이 이메일 주소로 가입된 계정이 이미 있습니다."),
        ("en", "An account with this e-mail address already exists."),
    ],
)
def test_a_refused_sign_up_writes_nothing_and_says_why(client, db, lang, expected):
    make_user("taken@example.test")
    client.get("/signup", headers={"Accept-Language": lang})
    response = client.form_post(
        "/signup",
        {
            "email": "TAKEN@example.test",
            "name": "둘째",
            "password": "long-enough-pw",
            "confirm": "long-enough-pw",
        },
        headers={"Accept-Language": lang},
    )
    assert response.status_code == 200
    assert expected in response.text
    assert 'id="email-error"' in response.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ko", "이 행사의 다른 팀이 이미 이 이름을 사용하고 있습니다."),
        ("en", "Another team in this event already has this name."),
    ],
)
def test_a_button_whose_service_refuses_after_writing_leaves_nothing(
    client, login, db, monkeypatch, lang, expected
):
    """The service flushed a row, then refused: the row is gone and the reader is told why,
    on the page the form was sent from."""
    from hackathon.teams.rules import NameTaken
    from hackathon.teams.services import formation
    from tests.factories import grant, make_event

    def half_done(*_args, **_kwargs):
        _company("반쯤 만든 회사")
        raise NameTaken()

    monkeypatch.setattr(formation, "create_team", half_done)
    event = make_event("refused", phase="team_formation")
    user = make_user()
    grant(event, user, "participant")
    login(user)
    headers = {"Accept-Language": lang, "Referer": "http://localhost/events/refused/my-team"}
    client.get("/events/refused/my-team", headers=headers)
    response = client.form_post("/events/refused/teams/new", {"name": "팀"}, headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/refused/my-team"
    page = client.get(response.headers["Location"], headers=headers)
    assert expected in page.text
    assert _companies(db) == 0


# The form fields every form uses for numbers and moments typed as text.


class NumbersForm(FlaskForm):
    class Meta:
        csrf = False

    count = WholeNumberField("Count")
    weight = DecimalNumberField("Weight", limit=1000)
    when = MomentField("When")
    pick = SelectField(
        "Pick", coerce=whole_number, choices=[SelectChoice(1, "one"), SelectChoice(3, "three")]
    )


def _posted(app, **values: str) -> NumbersForm:
    with app.test_request_context("/", method="POST", data=values):
        form = NumbersForm()
        form.validate()
        return form


@pytest.mark.parametrize("text", ["²", "٣", "３", "1²", "9" * 10, "9" * 10_000, "1.0", "", "x"])
def test_a_whole_number_field_takes_ascii_digits_only(app, text):
    form = _posted(app, count=text, weight="1", when="2026-03-01T14:00", pick="1")
    assert form.count.data is None
    assert form.count.errors
    assert list(form.errors) == ["count"]


def test_a_whole_number_field_reads_signs_and_blanks(app):
    assert _posted(app, count=" 42 ").count.data == 42
    assert _posted(app, count="-7").count.data == -7


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e3", "٣", "1001", "-1001", "1" * 30])
def test_a_decimal_field_refuses_what_is_not_a_plain_bounded_number(app, text):
    form = _posted(app, weight=text)
    assert form.weight.data is None
    assert form.weight.errors


def test_a_decimal_field_reads_plain_decimals(app):
    assert _posted(app, weight="1.5").weight.data == 1.5
    assert _posted(app, weight=".25").weight.data == 0.25


@pytest.mark.parametrize(
    "text", ["2026-13-45T25:61", "2026-02-30T10:00", "0001-01-01T00:00", "9999-12-31T23:59", "¹"]
)
def test_a_moment_field_refuses_malformed_and_far_off_dates(app, text):
    form = _posted(app, when=text)
    assert form.when.data is None
    assert form.when.errors


def test_a_choice_of_ids_is_coerced_by_the_same_rule(app):
    assert _posted(app, pick="3").pick.data == 3
    form = _posted(app, pick="٣")
    assert form.pick.errors
    assert form.pick.data != 3


def test_the_fields_explain_themselves_in_korean(app):
    with app.test_request_context(
        "/", method="POST", data={"count": "²", "weight": "nan"}, headers={"Accept-Language": "ko"}
    ):
        form = NumbersForm()
        form.validate()
        messages = [*form.count.errors, *form.weight.errors]
    assert all(any("가" <= ch <= "힣" for ch in m) for m in messages), messages

"""The shared whole-number field and safe id coercion: absurd input is refused at the field."""
import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import NumberRange, Optional

from icrs.core.fields import BoundedIntegerField, safe_int


class AgeForm(Form):
    age = BoundedIntegerField("Age", validators=[Optional(), NumberRange(min=0, max=120)])
    count = BoundedIntegerField("Count", validators=[Optional()])


def _validate(app, **data):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        form = AgeForm(MultiDict(data))
        ok = form.validate()
        return ok, {name: [str(e) for e in errors] for name, errors in form.errors.items()}, form


@pytest.mark.parametrize("raw", ["9" * 400, "1" * 5000, "-" + "9" * 30, "1e309",
                                 " 99999999999999 "])
def test_huge_input_is_one_message_at_the_field(app, raw):
    ok, errors, form = _validate(app, age=raw)
    assert not ok and form.age.data is None
    assert errors["age"] in (["This number is too large."], ["Not a valid integer value."])


def test_beyond_a_database_integer_is_refused_even_without_a_range(app):
    ok, errors, form = _validate(app, count=str(2**31))
    assert not ok and errors["count"] == ["This number is too large."] and form.count.data is None
    ok, _, form = _validate(app, count=str(2**31 - 1))
    assert ok and form.count.data == 2**31 - 1


@pytest.mark.parametrize("raw, expected", [("", None), ("  ", None), ("42", 42), (" 7 ", 7)])
def test_ordinary_input_still_works(app, raw, expected):
    ok, errors, form = _validate(app, age=raw)
    assert ok and not errors and form.age.data == expected


def test_range_and_garbage_keep_their_messages(app):
    ok, errors, _ = _validate(app, age="130")
    assert not ok and errors["age"] == ["Number must be between 0 and 120."]
    ok, errors, _ = _validate(app, age="abc")
    assert not ok and errors["age"] == ["Not a valid integer value."]


@pytest.mark.parametrize("raw, expected", [
    ("12", 12), (" 12 ", 12), (7, 7), ("0", None), ("-3", None), ("", None), (None, None),
    ("9" * 400, None), (str(2**31), None), ("²", None), ("١٢", None), ("1e3", None),
    ("12abc", None)])
def test_safe_int(raw, expected):
    assert safe_int(raw) == expected

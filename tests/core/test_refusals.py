"""Refusals: each domain error carries its HTTP status; AccessDenied is answered by the app (403,
after a rollback); `show_refusal` puts the message at its field, at the form's top or in a flash."""
import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.models import Region
from icrs.core.views import show_refusal
from icrs.dashboard.filters import OutOfScope


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()


def test_each_error_carries_its_status():
    assert DomainError("x").status == 400
    assert ConflictError("x").status == 409
    assert AccessDenied("x").status == 403
    assert OutOfScope().status == 403 and isinstance(OutOfScope(), AccessDenied)


def test_the_app_answers_access_denied_with_403_and_rolls_back(app, db):
    with app.test_request_context("/"):
        db.session.add(Region(code="ZZ", name_fr="Zz", name_en="Zz"))
        db.session.flush()
        response = app.make_response(app.handle_user_exception(AccessDenied("no")))
        assert response.status_code == 403
        assert db.session.query(Region).filter_by(code="ZZ").count() == 0


def test_message_goes_to_its_field(app, db):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        assert show_refusal(DomainError("Bad name", "name"), form) == 400
        assert form.name.errors == ["Bad name"] and form.form_errors == []


def test_message_without_field_goes_to_the_top_or_a_flash(app, db):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        assert show_refusal(ConflictError("Changed meanwhile"), form) == 409
        assert form.form_errors == ["Changed meanwhile"]
        assert show_refusal(ConflictError("Gone", "missing"), form, at_top=False) == 409
        assert show_refusal(DomainError("No form")) == 400
        assert get_flashed_messages() == ["Gone", "No form"]


def test_show_refusal_lets_access_denied_through(app, db):
    with app.test_request_context("/", method="POST"), pytest.raises(AccessDenied):
        show_refusal(AccessDenied("no"), _Form())

"""Approval forms (validation only; the rules live in the services)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class RequestForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Say why.")),
                                                     Length(max=2000)])


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    row_version = HiddenField()
    back = HiddenField()  # "case": decided from the case page, go back there


class CancelForm(FlaskForm):
    row_version = HiddenField()

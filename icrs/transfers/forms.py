"""Transfer and contact forms (validation only; the rules live in the services)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

SAY_WHY = _l("Say why.")


class RequestForm(FlaskForm):
    to_site_id = SelectField(_l("Receiving site"), validate_choice=False,
                             validators=[DataRequired(_l("Choose the receiving site."))])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(SAY_WHY), Length(max=2000)])


class AcceptForm(FlaskForm):
    caseworker_id = SelectField(_l("Caseworker who takes the case"), validate_choice=False,
                                validators=[DataRequired(_l("Choose the caseworker."))])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    row_version = HiddenField()


class RejectForm(FlaskForm):
    comment = TextAreaField(_l("Why the case cannot come"),
                            validators=[DataRequired(SAY_WHY), Length(max=2000)])
    row_version = HiddenField()


class WithdrawForm(FlaskForm):
    row_version = HiddenField()


class ContactForm(FlaskForm):
    message = TextAreaField(_l("Message to the case's caseworker"),
                            validators=[DataRequired(_l("Write a message.")), Length(max=2000)])

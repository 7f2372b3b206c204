"""The feedback forms (validation only: the rules are the service's)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from icrs.feedback.models import FeedbackCategory, FeedbackChannel, FeedbackKind, FeedbackStatus
from icrs.feedback.services import TEXT_MAX

EMPTY = [("", "—")]
SATISFACTION = [("", _l("Not asked")), ("5", _l("5 — very satisfied")), ("4", _l("4 — satisfied")),
                ("3", _l("3 — neither")), ("2", _l("2 — dissatisfied")),
                ("1", _l("1 — very dissatisfied"))]


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class _Common(FlaskForm):
    kind = SelectField(_l("Feedback or complaint"), choices=FeedbackKind.choices,
                       default=FeedbackKind.FEEDBACK.value)
    category = SelectField(_l("About"), choices=lambda: EMPTY + FeedbackCategory.choices(),
                           validators=[DataRequired(_l("Choose what it is about."))])
    satisfaction = SelectField(_l("Satisfaction"), choices=SATISFACTION, coerce=_int_or_none,
                               validators=[Optional()])
    text = TextAreaField(_l("What the person said"), validators=[
        DataRequired(_l("Write down what the person said.")), Length(max=TEXT_MAX)])


class CaseFeedbackForm(_Common):
    channel = SelectField(_l("Received"), choices=[
        (c.value, c.label) for c in FeedbackChannel if c != FeedbackChannel.HOTLINE_CODE])
    service_id = SelectField(_l("Service concerned"), choices=[], validate_choice=True)
    concerns_user_id = SelectField(_l("Staff member concerned"), choices=[],
                                   validate_choice=True)


class CodeFeedbackForm(_Common):
    code = StringField(_l("Feedback code"), validators=[
        DataRequired(_l("Give the caller’s feedback code.")), Length(max=20)])


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=lambda: EMPTY + FeedbackStatus.choices(),
                         validators=[DataRequired(_l("Choose a status."))])
    response = TextAreaField(_l("Answer given to the person, or what is being done"),
                             validators=[Optional(), Length(max=TEXT_MAX)])


class IssueCodeForm(FlaskForm):
    """Only the CSRF token."""

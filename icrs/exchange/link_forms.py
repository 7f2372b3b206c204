"""Forms of the provider links: the public answer and short-code forms, and the caseworker's
record of an answer received on the provider's behalf."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from icrs.exchange.link_models import AnswerChannel
from icrs.lookups.fields import LookupSelectField

ACTION_LABELS = {"accept": _l("Accept"), "decline": _l("Decline"),
                 "start": _l("The service has started"),
                 "complete": _l("Completed"), "not_complete": _l("Not completed")}
CHANNEL_LABELS = {c.value: c.label for c in AnswerChannel}


class _AnswerFields:
    action = SelectField(_l("Answer"), choices=list(ACTION_LABELS.items()),
                         validators=[DataRequired()])
    reason = LookupSelectField(_l("Reason for declining"), validators=[Optional()],
                               vocabulary="decline_reason")
    outcome = LookupSelectField(_l("Outcome"), validators=[Optional()], vocabulary="outcome")
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=4000)],
                         description=_l("Required to decline for another reason, and when the "
                                        "service was not completed."))


class LinkAnswerForm(_AnswerFields, FlaskForm):
    step = HiddenField(validators=[InputRequired()])


class ShortCodeForm(FlaskForm):
    code = StringField(_l("Code on the referral slip"),
                       validators=[DataRequired(), Length(max=20)],
                       description=_l("8 letters and digits, for example KX7P-3MQA."))


class OnBehalfForm(_AnswerFields, FlaskForm):
    version = HiddenField(validators=[InputRequired()])
    channel = SelectField(_l("Received"), choices=[(c, CHANNEL_LABELS[c]) for c in
                                                   ("phone", "paper", "in_person")],
                          validators=[DataRequired()])
    received_from = StringField(_l("Received from"), validators=[DataRequired(),
                                                                 Length(max=200)],
                                description=_l("Name of the provider's staff member who "
                                               "gave the answer."))


class PlainPostForm(FlaskForm):
    """A button: CSRF only."""

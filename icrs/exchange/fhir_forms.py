"""The administrators' form that issues a partner token (validation only)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from icrs.core.fields import BoundedIntegerField
from icrs.exchange.fhir_services import DEFAULT_DAYS, MAX_DAYS


class PartnerTokenForm(FlaskForm):
    organisation_id = SelectField(_l("Partner organisation"), validators=[DataRequired()],
                                  choices=[])
    label = StringField(_l("Which system uses this token"),
                        validators=[DataRequired(), Length(max=120)])
    days = BoundedIntegerField(_l("Valid for (days)"), default=DEFAULT_DAYS,
                               validators=[DataRequired(), NumberRange(min=1, max=MAX_DAYS)])

"""Catalogue and case forms (validation of shape only; the rules are in the services)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from icrs.assistance.models import AssistanceKind, ReceiptCheck, ReceiptMethod, UseCheck
from icrs.core.fields import BoundedIntegerField, MultiCheckboxField
from icrs.core.vocab import PersonCategory
from icrs.dashboard.forms import JustificationForm
from icrs.lookups.fields import LookupMultiField

AMOUNT = [NumberRange(min=1, message=_l("Give a whole amount above zero."))]


class FundingSourceForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    donor = StringField(_l("Donor"), validators=[DataRequired(), Length(max=120)])
    project = StringField(_l("Project"), validators=[Optional(), Length(max=120)])


class PeriodForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])


class AssistanceTypeForm(FlaskForm):
    name_fr = StringField(_l("French name"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("English name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=AssistanceKind.choices, validators=[DataRequired()])
    unit_value = BoundedIntegerField(_l("Unit value"), validators=[DataRequired()] + AMOUNT,
                                     description=_l("A whole amount: XAF has no cents."))
    currency = StringField(_l("Currency"), default="XAF",
                           validators=[DataRequired(), Length(min=3, max=3)])
    funding_source_id = SelectField(_l("Funding source"), coerce=int, choices=[])
    eligible_categories = MultiCheckboxField(_l("For these categories"),
                                             choices=PersonCategory.choices,
                                             description=_l("None ticked: every category."))
    eligible_pathways = LookupMultiField(_l("For these pathways"), vocabulary="pathway",
                                         description=_l("None ticked: any pathway, or no plan."))
    eligible_regions = MultiCheckboxField(_l("In these regions"), coerce=int, choices=[],
                                          description=_l("None ticked: every region."))
    cap_per_person = BoundedIntegerField(_l("Cap per person"), validators=[Optional()] + AMOUNT)
    cap_per_household = BoundedIntegerField(_l("Cap per household"),
                                            validators=[Optional()] + AMOUNT)
    cap_per_period = BoundedIntegerField(_l("Cap per person and programme period"),
                                         validators=[Optional()] + AMOUNT)
    items = TextAreaField(_l("Kit items"), validators=[Optional(), Length(max=8000)],
                          description=_l("For a kit, one item a line: quantity | French name | "
                                         "English name."))


class NewAssistanceTypeForm(AssistanceTypeForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("Stored on records and in exports; it never changes."))


class ProposeForm(FlaskForm):
    assistance_type_id = SelectField(_l("Assistance"), coerce=int, choices=[],
                                     validate_choice=False)
    amount = BoundedIntegerField(_l("Amount"), validators=[DataRequired()] + AMOUNT)
    justification = TextAreaField(_l("Why this person needs it"),
                                  validators=[DataRequired(), Length(max=2000)])


class ResubmitForm(FlaskForm):
    amount = BoundedIntegerField(_l("Amount"), validators=[DataRequired()] + AMOUNT)
    justification = TextAreaField(_l("Why this person needs it"),
                                  validators=[DataRequired(), Length(max=2000)])
    row_version = HiddenField()


class HandoverForm(FlaskForm):
    handed_on = DateField(_l("Day of the handover"), validators=[DataRequired()])
    site_id = SelectField(_l("Place"), coerce=int, choices=[], validate_choice=False)
    value = BoundedIntegerField(_l("Value handed over"), validators=[DataRequired()] + AMOUNT)
    receipt_method = SelectField(_l("How the person acknowledged receipt"),
                                 choices=ReceiptMethod.choices, validators=[DataRequired()])
    witness_name = StringField(_l("Witness of the thumbprint"),
                               validators=[Optional(), Length(max=120)])
    photo = FileField(_l("Photo of the signed form (JPEG, PNG or PDF)"))
    # the signature drawn on screen, a PNG data URL written by icrs/static/js/signature.js
    signature = HiddenField(validators=[Optional()])
    row_version = HiddenField()


class ReverseForm(FlaskForm):
    reason = StringField(_l("Why this line is corrected"),
                         validators=[DataRequired(), Length(max=500)])
    row_version = HiddenField()


class ResolveForm(FlaskForm):
    shown = HiddenField()


class ReconciliationForm(JustificationForm):
    """Which funding source and programme period to reconcile, and why."""

    funding_source_id = SelectField(_l("Funding source"), coerce=int, choices=[],
                                    validators=[DataRequired()])
    period_id = SelectField(_l("Programme period"), coerce=int, choices=[],
                            validators=[DataRequired()])
class DrawForm(FlaskForm):
    since_days = BoundedIntegerField(
        _l("Handovers recorded in the last … days"), default=30,
        validators=[DataRequired(message=_l("Give a number of days from 1 to 366.")),
                    NumberRange(min=1, max=366,
                                message=_l("Give a number of days from 1 to 366."))])


class SpotCheckForm(FlaskForm):
    receipt = RadioField(_l("Does the person confirm receipt?"), choices=ReceiptCheck.choices,
                         validators=[InputRequired(
                             message=_l("Say whether the person confirms receipt."))])
    goods_use = RadioField(_l("Are the goods or the business in use?"), choices=UseCheck.choices,
                           validators=[InputRequired(
                               message=_l("Say whether the goods or the business are in "
                                          "use."))])
    note = TextAreaField(_l("Note (what the person said, what you saw)"),
                         validators=[Optional(), Length(max=1000)])
    row_version = HiddenField()

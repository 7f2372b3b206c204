"""People forms (validation only; domain rules live in the services)."""
import phonenumbers
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from icrs import lookups
from icrs.core.fields import BoundedIntegerField
from icrs.core.vocab import PersonCategory, Sex
from icrs.lookups.fields import LookupMultiField
from icrs.people.models import CaregiverRelationship, ConsentGiver, ConsentMethod, ConsentPurpose
from icrs.people.states import INELIGIBLE, SuspendReason


def valid_phone(form, field):
    if not field.data:
        return
    try:
        number = phonenumbers.parse(field.data, "CM")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_l("This is not a phone number.")) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_l("This is not a valid phone number."))


def _empty_first(enum):
    return [("", "—")] + enum.choices()


class IdentityForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=80)])
    other_names = StringField(_l("Other names or aliases"), validators=[Optional(),
                                                                          Length(max=160)])
    # required choices start empty: a pre-set answer would make "required" meaningless
    sex = SelectField(_l("Sex"), choices=lambda: _empty_first(Sex), validators=[DataRequired()])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()],
                           description=_l("Leave empty if unknown and give an estimated age."))
    estimated_age = BoundedIntegerField(_l("Estimated age (years)"),
                                        validators=[Optional(), NumberRange(min=0, max=100)])
    category = SelectField(_l("Category"), choices=lambda: _empty_first(PersonCategory),
                           validators=[DataRequired()])
    languages = LookupMultiField(_l("Languages spoken"), vocabulary="language",
                                 validators=[Optional()])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32), valid_phone])
    id_number = StringField(_l("ID or DDR card number"), validators=[Optional(), Length(max=40)])
    address = TextAreaField(_l("Address or place of residence"),
                            validators=[Optional(), Length(max=500)])
    caregiver_name = StringField(_l("Caregiver (for a minor)"),
                                 validators=[Optional(), Length(max=120)])
    caregiver_phone = StringField(_l("Caregiver's phone"),
                                  validators=[Optional(), Length(max=32), valid_phone])

    def to_data(self, today_year):
        data = {name: getattr(self, name).data for name in (
            "first_name", "last_name", "other_names", "sex", "birth_date", "category", "languages",
            "phone", "id_number", "address", "caregiver_name", "caregiver_phone")}
        for key in ("first_name", "last_name", "other_names", "phone", "id_number", "address",
                    "caregiver_name", "caregiver_phone"):
            data[key] = (data[key] or "").strip() or None
        if data["birth_date"]:
            data["birth_year"] = data["birth_date"].year
        elif self.estimated_age.data is not None:
            data["birth_year"] = today_year - self.estimated_age.data
        return data


class RegistrationForm(IdentityForm):
    not_duplicate_of = HiddenField()  # candidate ids the caseworker confirmed are someone else


class CommunityMemberForm(FlaskForm):
    """The light registration of a community member (icrs.people.kinds): no association
    history, no DDR card; consent to registration and reporting taken with it."""
    not_duplicate_of = HiddenField()
    first_name = IdentityForm.first_name
    last_name = IdentityForm.last_name
    sex = IdentityForm.sex
    birth_date = IdentityForm.birth_date
    estimated_age = IdentityForm.estimated_age
    community_category = SelectField(
        _l("Community category"), validators=[DataRequired()],
        choices=lambda: [("", "—")] + lookups.choices("community_category"))
    languages = IdentityForm.languages
    phone = IdentityForm.phone
    address = IdentityForm.address
    caregiver_name = IdentityForm.caregiver_name
    caregiver_phone = IdentityForm.caregiver_phone
    consent_method = SelectField(_l("How consent was given"), choices=ConsentMethod.choices)
    witness_name = StringField(_l("Witness"), validators=[Optional(), Length(max=120)])
    consents = BooleanField(
        _l("The person consents to registration, to the storage of their data and to "
           "anonymised reporting"), validators=[DataRequired(_l("Consent is needed to "
                                                              "register a community member."))],
        description=_l("Read the consent texts first. For a child, record the caregiver's "
                       "consent and the child's assent on the case page instead."))

    def to_data(self, today_year):
        data = {name: getattr(self, name).data for name in (
            "first_name", "last_name", "sex", "birth_date", "community_category", "languages",
            "phone", "address", "caregiver_name", "caregiver_phone")}
        for key in ("first_name", "last_name", "phone", "address", "caregiver_name",
                    "caregiver_phone"):
            data[key] = (data[key] or "").strip() or None
        if data["birth_date"]:
            data["birth_year"] = data["birth_date"].year
        elif self.estimated_age.data is not None:
            data["birth_year"] = today_year - self.estimated_age.data
        return data


class ConsentForm(FlaskForm):
    purpose = SelectField(_l("Purpose"), choices=ConsentPurpose.choices)
    service_category = SelectField(_l("Service category (for sharing)"), choices=[],
                                   validators=[Optional()])
    method = SelectField(_l("How consent was given"), choices=ConsentMethod.choices)
    witness_name = StringField(_l("Witness"), validators=[Optional(), Length(max=120)])
    # for a child only (icrs.people.services.consent_givers checks them)
    given_by = SelectField(_l("Who gives this consent"), validators=[Optional()], choices=[
        ("", "—"), *((g.value, g.label) for g in (ConsentGiver.CAREGIVER,
                                                   ConsentGiver.CHILD_ASSENT))],
        description=_l("For a child, both the caregiver's consent and the child's assent are "
                       "needed: record each."))
    caregiver_relationship = SelectField(_l("Caregiver's relationship to the child"),
                                         choices=lambda: _empty_first(CaregiverRelationship),
                                         validators=[Optional()])
    caregiver_name = StringField(_l("Caregiver's name"), validators=[Optional(), Length(max=120)])
    shown_texts = HiddenField()  # the text versions on the page (consent_texts.shown_token)


class BestInterestForm(FlaskForm):
    recommendation = SelectField(_l("Recommendation"), validators=[DataRequired()],
                                 choices=lambda: _empty_first(_recommendations()))
    assessment = TextAreaField(_l("Best-interest assessment"),
                               validators=[DataRequired(), Length(max=2000)],
                               description=_l("The child's views, family situation, safety and "
                                              "what each option would mean for the child. A "
                                              "supervisor signs it off."))


def _recommendations():
    from icrs.people.best_interest import Recommendation
    return Recommendation


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=20000)])


class CounsellingForm(FlaskForm):
    """The session's notes; the plan agreed in it is prepared on the plan's page."""
    notes = TextAreaField(_l("Session notes"), validators=[DataRequired(), Length(max=20000)])


class FollowUpForm(FlaskForm):
    due_date = DateField(_l("Due date"), validators=[DataRequired()])
    purpose = StringField(_l("Purpose"), validators=[Optional(), Length(max=120)])


class StageForm(FlaskForm):
    target = SelectField(_l("Move to"), choices=[])
    reason = SelectField(_l("Reason"), choices=[], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "found ineligible" is a supervisor's approval (icrs/people/stage_approvals.py)
        self.reason.choices = ([("", "—")] + SuspendReason.choices()
                               + lookups.choices("exit_reason", exclude=(INELIGIBLE,)))


def _reason_long_enough(form, field):
    """The service's rule (break_glass.check_reason), shown at the field."""
    from icrs.core.errors import DomainError
    from icrs.people.services.break_glass import check_reason
    try:
        check_reason(field.data)
    except DomainError as exc:
        raise ValidationError(exc.message) from None


class BreakGlassForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you need the restricted sections?"),
        validators=[_reason_long_enough, Length(max=500)],
        description=_l("Your reason is recorded and shown to the supervisor; the assigned "
                       "caseworker and the supervisor are told."))


class ReassignForm(FlaskForm):
    caseworker_id = SelectField(_l("Caseworker"), choices=[], coerce=str)


SEARCH_KINDS = [("case", _l("Case number (or its last digits)")), ("name", _l("Name or alias")),
                ("id_number", _l("ID number")), ("phone", _l("Phone"))]
SORTS = [("-registered", _l("Newest first")), ("registered", _l("Oldest first")),
         ("case", _l("Case number")), ("stage", _l("Stage"))]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=120)])
    kind = SelectField(_l("Search by"), choices=SEARCH_KINDS, default="case",
                       validators=[Optional()])
    stage = SelectField(_l("Stage"), choices=[], validators=[Optional()])
    site = SelectField(_l("Site"), choices=[], validators=[Optional()])
    category = SelectField(_l("Category"), choices=[], validators=[Optional()])
    beneficiary_kind = SelectField(_l("Kind"), choices=[], validators=[Optional()])
    sex = SelectField(_l("Sex"), choices=[], validators=[Optional()])
    caseworker = SelectField(_l("Caseworker"), choices=[], validators=[Optional()])
    overdue = SelectField(_l("Follow-up"), choices=[("", "—"), ("1", _l("Overdue follow-up"))],
                          validators=[Optional()])
    sort = SelectField(_l("Sort"), choices=SORTS, default="-registered", validators=[Optional()])


class ConsentTextForm(FlaskForm):
    """A draft version of a consent text (an admin's)."""
    text_fr = TextAreaField(_l("Text in French"), validators=[DataRequired(), Length(max=20000)])
    text_en = TextAreaField(_l("Text in English"), validators=[DataRequired(), Length(max=20000)])
    requires_reconsent = BooleanField(_l("Ask again for consent given under older versions"))


class ApprovalAskForm(FlaskForm):
    """Ask a supervisor to approve a stage move (icrs/people/stage_approvals.py)."""
    kind = SelectField(_l("Ask for"), choices=[])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Say why.")),
                                                     Length(max=2000)])

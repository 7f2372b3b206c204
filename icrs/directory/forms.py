"""Directory forms (validation only; choices are filled by the views)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from icrs.core.fields import BoundedIntegerField, MultiCheckboxField
from icrs.directory.models import OrganisationType
from icrs.directory.urls import is_web_url
from icrs.directory.vocab import (
    NOT_A_SERVICE_LANGUAGE,
    PersonCategory,
    ReferralMethod,
    ServiceStatus,
    Sex,
)
from icrs.lookups.fields import LookupMultiField, LookupSelectField


def web_url(form, field):
    """http(s) only: the address is served to partners as a link."""
    if field.data and not is_web_url(field.data):
        raise ValidationError(_l("Enter a web address starting with http:// or https://."))


TIME_RULE = Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", message=_l("Use the 24-hour form HH:MM."))
DAYS = [("MO", _l("Monday")), ("TU", _l("Tuesday")), ("WE", _l("Wednesday")),
        ("TH", _l("Thursday")), ("FR", _l("Friday")), ("SA", _l("Saturday")),
        ("SU", _l("Sunday"))]


def _count(label):
    return BoundedIntegerField(label, validators=[Optional(), NumberRange(min=0, max=100000)])


class ServiceForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), choices=[], validate_choice=True)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    alternate_name = StringField(_l("Other name"), validators=[Optional(), Length(max=200)])
    category = LookupSelectField(_l("Category"), vocabulary="service_category", blank=False)
    status = SelectField(_l("Status"), choices=ServiceStatus.choices)
    description = TextAreaField(_l("Description"), validators=[DataRequired(),
                                                               Length(max=5000)])
    alert = TextAreaField(_l("Alert"), validators=[Optional(), Length(max=1000)])
    eligibility_description = TextAreaField(_l("Who is eligible"),
                                            validators=[Optional(), Length(max=2000)])
    minimum_age = BoundedIntegerField(_l("Minimum age"),
                                      validators=[Optional(), NumberRange(min=0, max=120)])
    maximum_age = BoundedIntegerField(_l("Maximum age"),
                                      validators=[Optional(), NumberRange(min=0, max=120)])
    sexes = MultiCheckboxField(_l("Sexes served"), choices=Sex.choices)
    categories = MultiCheckboxField(_l("Categories of people served"),
                                    choices=PersonCategory.choices)
    regions = MultiCheckboxField(_l("Regions served"), choices=[], coerce=int)
    sites = MultiCheckboxField(_l("Sites served"), choices=[], coerce=int)
    languages = LookupMultiField(_l("Languages"), vocabulary="language",
                                 exclude=NOT_A_SERVICE_LANGUAGE)
    capacity = _count(_l("Capacity"))
    open_slots = _count(_l("Open slots"))
    referral_method = SelectField(_l("How to refer"), choices=ReferralMethod.choices)
    response_time_hours = BoundedIntegerField(_l("Expected response time (hours)"),
                                              validators=[Optional(), NumberRange(min=1, max=2000)])
    application_process = TextAreaField(_l("Referral and application steps"),
                                        validators=[Optional(), Length(max=3000)])
    required_documents = TextAreaField(_l("Documents required (one per line)"),
                                       validators=[Optional(), Length(max=2000)])
    fees_description = StringField(_l("Fees"), validators=[Optional(), Length(max=500)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    url = URLField(_l("Website"), validators=[Optional(), URL(), web_url, Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    contact_name = StringField(_l("Focal point"), validators=[Optional(), Length(max=120)])
    contact_title = StringField(_l("Focal point's position"),
                                validators=[Optional(), Length(max=120)])
    contact_email = EmailField(_l("Focal point's email"),
                               validators=[Optional(), Email(), Length(max=254)])
    contact_phone = StringField(_l("Focal point's phone"),
                                validators=[Optional(), Length(max=40)])
    schedule_days = MultiCheckboxField(_l("Open on"), choices=DAYS)
    opens_at = StringField(_l("Opens at"), validators=[Optional(), TIME_RULE])
    closes_at = StringField(_l("Closes at"), validators=[Optional(), TIME_RULE])
    schedule_description = StringField(_l("Opening hours notes"),
                                       validators=[Optional(), Length(max=300)])
    address_1 = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    city = StringField(_l("Town"), validators=[Optional(), Length(max=100)])


class CapacityForm(FlaskForm):
    capacity = _count(_l("Capacity"))
    open_slots = _count(_l("Open slots"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    type = SelectField(_l("Type"), choices=OrganisationType.choices)
    alternate_name = StringField(_l("Acronym or other name"),
                                 validators=[Optional(), Length(max=200)])
    name_fr = StringField(_l("Name in French, if different"),
                          validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("Name in English, if different"),
                          validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    website = URLField(_l("Website"), validators=[Optional(), URL(), web_url, Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    regions = MultiCheckboxField(_l("Regions served"), choices=[], coerce=int)
    active = BooleanField(_l("Active"), default=True)


class TokenForm(FlaskForm):
    label = StringField(_l("Who uses this token"), validators=[DataRequired(), Length(max=120)])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    category = LookupSelectField(_l("Category"), vocabulary="service_category", retired=True,
                                 default="")
    region = SelectField(_l("Region"), choices=[], default="")
    site = SelectField(_l("Site"), choices=[], default="")
    language = LookupSelectField(_l("Language"), vocabulary="language", retired=True,
                                 exclude=NOT_A_SERVICE_LANGUAGE, default="")
    open_only = BooleanField(_l("Only with open places"))
    age = BoundedIntegerField(_l("Age"), validators=[Optional(), NumberRange(min=0, max=120)])
    sex = SelectField(_l("Sex"), choices=[("", "—")] + Sex.choices(), default="")
    person_category = SelectField(_l("Category of person"),
                                  choices=[("", "—")] + PersonCategory.choices(),
                                  default="")
    include_inactive = BooleanField(_l("Include inactive services"))

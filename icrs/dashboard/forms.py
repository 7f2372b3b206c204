"""Dashboard forms: the filter bar (GET, no CSRF) and the admin's personal-data export request."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from icrs.core.fields import MultiCheckboxField
from icrs.core.vocab import PersonCategory, Sex

BY_CHOICES = [("sex", _l("Sex")), ("age", _l("Age band")), ("category", _l("Category")),
              ("region", _l("Region")), ("site", _l("Site"))]
# pages that can also disaggregate by the pathway of the plan in force (the sustainability page)
EXTRA_BY = [("pathway", _l("Pathway"))]
EMPTY = [("", "—")]


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    # Places are checked against the user's scope in filters.resolve (403, not a form error).
    region = SelectField(_l("Region"), choices=[], validators=[Optional()],
                         validate_choice=False)
    site = SelectField(_l("Site"), choices=[], validators=[Optional()], validate_choice=False)
    category = SelectField(_l("Category"), choices=lambda: EMPTY + PersonCategory.choices(),
                           validators=[Optional()])
    sex = SelectField(_l("Sex"), choices=lambda: EMPTY + Sex.choices(), validators=[Optional()])
    by = SelectField(_l("Disaggregate by"), choices=BY_CHOICES, default="sex",
                     validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end of the period is before its start."))


REASON_CATEGORIES = [
    ("", "—"),
    ("data_subject_request", _l("Request from the person (access or portability)")),
    ("case_transfer", _l("Transfer of cases to another programme")),
    ("data_quality", _l("Data-quality verification")),
    ("legal", _l("Legal obligation")),
    ("court_order", _l("Court order")),
    ("programme_audit", _l("Programme audit")),
    ("donor_verification", _l("Donor verification")),
    ("other", _l("Other reason")),
]


class JustificationForm(FlaskForm):
    """Why an export of case-level data is needed: a category and a text kept sealed."""

    reason_category = SelectField(_l("Purpose of the export"), choices=REASON_CATEGORIES,
                                  validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(min=20, max=1000)],
        description=_l("Why this list with personal data is needed, with its reference (at "
                       "least 20 characters and four words). It is kept encrypted with the "
                       "audit entry; administrators read it in the audit log."))

    def validate_reason(self, field):
        words = [w for w in (field.data or "").split() if any(c.isalpha() for c in w)]
        if len(words) < 4 or len(set((field.data or "").lower())) < 8:
            raise ValidationError(_l("Say why in a sentence: at least four words."))


class PersonalExportForm(JustificationForm):
    """Asks which fields to export and why."""

    fields = MultiCheckboxField(_l("Personal fields to include"), choices=[],
                                validators=[DataRequired()])

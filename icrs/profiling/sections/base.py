"""What every section form shares: the draft's row version (optimistic lock), the "save as
complete" button that enforces required answers, and conversion to and from stored answers."""
import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from icrs.core.fields import BoundedIntegerField, MultiCheckboxField
from icrs.core.timeutil import today
from icrs.lookups.fields import LookupMultiField, LookupSelectField
from icrs.profiling.sections.choices import EMPTY, YES_NO

CONTROL_FIELDS = ("csrf_token", "row_version", "save", "save_complete")


def choice(label, choices, description=None):
    """An optional coded answer; "required" is the section's business, checked on completion."""
    return SelectField(label, choices=EMPTY + list(choices), validators=[Optional()],
                       description=description or "")


def lookup_choice(label, vocabulary, description=None):
    """An optional answer from a list the programme adapts (icrs.lookups)."""
    return LookupSelectField(label, validators=[Optional()], vocabulary=vocabulary,
                             description=description or "")


def lookup_several(label, vocabulary, description=None):
    return LookupMultiField(label, validators=[Optional()], vocabulary=vocabulary,
                            description=description or "")


def yes_no(label, description=None):
    return choice(label, YES_NO, description)


def several(label, choices, description=None):
    return MultiCheckboxField(label, choices=list(choices), validators=[Optional()],
                              description=description or "")


def number(label, low, high, description=None):
    return BoundedIntegerField(label, validators=[Optional(), NumberRange(min=low, max=high)],
                               description=description or "")


def text(label, max_length=2000, description=None):
    return TextAreaField(label, validators=[Optional(), Length(max=max_length)],
                         description=description or "")


def past_year(form, field):
    """A year between 1950 and this year (not in the future)."""
    if field.data is not None and not 1950 <= field.data <= today().year:
        raise ValidationError(_l("Give a year between 1950 and %(year)s.", year=today().year))


def year(label, description=None):
    return BoundedIntegerField(label, validators=[Optional(), past_year],
                               description=description or "")


def answered(value) -> bool:
    return value not in (None, "", [], {})


class SectionForm(FlaskForm):
    row_version = HiddenField(default="0")
    save = SubmitField(_l("Save draft"))
    save_complete = SubmitField(_l("Save and check the section is complete"))

    required: tuple = ()

    def __init__(self, *args, required=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.required = tuple(required)
        for name in self.required:
            self[name].flags.required = True

    def question_fields(self):
        return [f for f in self if f.name not in CONTROL_FIELDS]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.save_complete.data:
            for name in self.required:
                if not answered(self[name].data):
                    self[name].errors = [*self[name].errors,
                                         _l("Answer this question to complete the section.")]
                    ok = False
        return ok

    def answers(self) -> dict:
        """The answers as JSON-safe values ("" and empty lists become None)."""
        return {f.name: _plain(f.data) for f in self.question_fields()}

    def expected_row_version(self) -> int:
        try:
            return int(self.row_version.data or 0)
        except (TypeError, ValueError):
            return -1  # a tampered field never matches


def _plain(value):
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return list(value) or None
    return value

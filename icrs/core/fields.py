"""Form fields shared by every domain: a whole-number field that refuses absurd input at the field.

WTForms' IntegerField accepts any length of digits; NumberRange then calls math.isnan() on the
result, which overflows on a 400-digit number (a 500), and a number without a range can overflow
the database column. BoundedIntegerField refuses over-long input and anything outside a 32-bit
integer with a message at the field, before any other validator runs.
"""
import uuid

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectMultipleField, widgets
from wtforms.validators import StopValidation

MAX_CHARACTERS = 12  # "-" and 11 digits: far beyond any count, age or year the forms ask for
INT32 = 2**31 - 1  # the smallest integer column of the supported databases


class BoundedIntegerField(IntegerField):
    """An IntegerField whose value always fits a float and a 32-bit database column."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and \
                len(valuelist[0].strip()) > MAX_CHARACTERS:
            self.data = None
            raise ValueError(_l("This number is too large."))
        super().process_formdata(valuelist)
        if self.data is not None and not -INT32 <= self.data <= INT32:
            self.data = None
            raise ValueError(_l("This number is too large."))

    def pre_validate(self, form):
        # Something was typed and refused while being read: say so once, not again in
        # NumberRange. (Blank input goes on to Optional/InputRequired as usual.)
        typed = self.raw_data and isinstance(self.raw_data[0], str) and self.raw_data[0].strip()
        if self.process_errors and typed:
            raise StopValidation()


def safe_int(value, low=1, high=INT32):
    """`value` as an int if it is plain ASCII digits within [low, high], else None: for ids and
    numbers taken from forms or the query string outside a BoundedIntegerField."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def parse_uuid(value, strict=False):
    """A UUID from form, URL or file text; None when empty or not a UUID (ValueError when
    `strict`)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        if strict:
            raise ValueError(f"not a UUID: {value!r}") from None
        return None

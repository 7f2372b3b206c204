"""Forms for vocabulary entries (validation of shape only; the rules are in services)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from icrs.core.fields import BoundedIntegerField


class EntryForm(FlaskForm):
    label_fr = StringField(_l("French label"), validators=[DataRequired(), Length(max=200)])
    label_en = StringField(_l("English label"), validators=[DataRequired(), Length(max=200)])
    position = BoundedIntegerField(_l("Order"), validators=[Optional(), NumberRange(0, 100000)],
                                   description=_l("Smaller numbers come first."))


class NewEntryForm(EntryForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)],
                       description=_l("Stored on records and in exports; it never changes. "
                                      "Lowercase letters, digits and underscores."))

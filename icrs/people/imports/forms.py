"""Forms of the caseload import (validation only). The column choices of the mapping step are
read from `col-<n>` fields, one per file column."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from icrs.people.imports.plan import ALL_OR_NOTHING, SKIP_INVALID


class UploadForm(FlaskForm):
    file = FileField(_l("File (CSV or XLSX)"))
    site_id = SelectField(_l("Site the people are registered at"), choices=[],
                          validators=[DataRequired()])
    caseworker_id = SelectField(_l("Assign to caseworker"), choices=[], validators=[Optional()],
                                description=_l("Optional: a supervisor can assign the cases "
                                               "later."))
    template_id = SelectField(_l("Column mapping"), choices=[], validators=[Optional()])


class _Carried(FlaskForm):
    """What the later steps carry: the stashed file's token and the target."""
    token = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    filename = HiddenField(validators=[Length(max=200)])
    site_id = HiddenField(validators=[DataRequired()])
    caseworker_id = HiddenField(validators=[Optional()])


class MappingForm(_Carried):
    template_name = StringField(_l("Save this mapping as a template named"),
                                validators=[Optional(), Length(max=80)],
                                description=_l("Optional. The same name replaces the template."))


class ApplyForm(_Carried):
    mapping = HiddenField(validators=[DataRequired(), Length(max=20000)])
    mode = RadioField(_l("Rows with problems"), default=ALL_OR_NOTHING, choices=[
        (ALL_OR_NOTHING, _l("Import nothing if any row has a problem")),
        (SKIP_INVALID, _l("Import the rows without problems and skip the others"))])

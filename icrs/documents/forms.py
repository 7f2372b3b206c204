"""The upload form (validation only: the content checks are the service's)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField
from wtforms.validators import DataRequired

from icrs.documents.models import AttachmentKind


class AttachmentForm(FlaskForm):
    kind = SelectField(_l("Kind of document"), choices=AttachmentKind.choices,
                       validators=[DataRequired()])
    file = FileField(_l("File (PDF, JPEG or PNG)"))

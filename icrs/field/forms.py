"""The questionnaire administration forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField


class UploadForm(FlaskForm):
    file = FileField(_l("XLSForm (.xlsx)"))


class PublishForm(FlaskForm):
    """A POST with its CSRF token: publish the draft."""

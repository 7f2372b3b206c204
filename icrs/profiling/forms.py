"""Forms of the profile pages other than the sections (validation only)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField


class SubmitProfileForm(FlaskForm):
    row_version = HiddenField(default="0")

    def expected_row_version(self) -> int:
        try:
            return int(self.row_version.data or 0)
        except (TypeError, ValueError):
            return -1

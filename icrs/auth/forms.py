"""Account forms (validation only)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from icrs.auth.roles import Role


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class TwoFactorForm(FlaskForm):
    """Sign-in step: a code from the app, or one of the recovery codes."""
    code = StringField(_l("Code from your authenticator app, or a recovery code"),
                       validators=[DataRequired(), Length(max=32)],
                       render_kw={"autocomplete": "one-time-code"})


class EnrolmentCodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"),
                       validators=[DataRequired(), Length(max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Current password, or a code from your authenticator app"),
                             validators=[DataRequired(), Length(max=256)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=256)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The passwords do not match."))])


USERNAME_RULE = Regexp(r"^[a-z0-9._-]+$",
                       message=_l("Use lower-case letters, digits, dots, dashes or underscores."))


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=64),
                                                       USERNAME_RULE])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=Role.choices)
    organisation_id = SelectField(_l("Organisation"), choices=[], validate_choice=True)
    site_id = SelectField(_l("Site"), choices=[], validate_choice=True)
    region_id = SelectField(_l("Region"), choices=[], validate_choice=True)
    active = BooleanField(_l("Active"), default=True)
    complaints_focal_point = BooleanField(
        _l("Complaints focal point (receives the complaints about staff)"), default=False)
    password = PasswordField(_l("Initial password"), validators=[Optional(), Length(max=256)])


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])


class TimeZoneForm(FlaskForm):
    """The zone the user's pages and exports show times in (choices from zoneinfo)."""
    time_zone = SelectField(_l("Time zone"), choices=[], validate_choice=True)

    def __init__(self, *args, **kwargs):
        from icrs.core.timeutil import zone_names
        super().__init__(*args, **kwargs)
        self.time_zone.choices = [(z, z.replace("_", " ")) for z in zone_names()]

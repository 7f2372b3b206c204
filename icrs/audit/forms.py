"""The audit viewer's filter form (GET, no CSRF: it changes nothing)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from icrs.audit.queries import AuditFilter


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField(_l("User (username)"), validators=[Optional(), Length(max=64)])
    action = StringField(_l("Action"), validators=[
        Optional(), Length(max=64),
        Regexp(r"^[a-z0-9_.]+$", message=_l("Use lower-case letters, digits, dots and _."))],
        description=_l("A prefix: “people” finds every people action."))
    object_type = SelectField(_l("Object type"), choices=[], validators=[Optional()])
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def to_filter(self) -> AuditFilter:
        def clean(value):
            return (value or "").strip() or None

        return AuditFilter(actor=clean(self.actor.data), action=clean(self.action.data),
                           object_type=clean(self.object_type.data),
                           object_id=clean(self.object_id.data),
                           date_from=self.date_from.data, date_to=self.date_to.data)

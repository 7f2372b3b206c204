"""Group forms (validation only; the rules live in icrs.groups.services)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from icrs import lookups
from icrs.core.fields import BoundedIntegerField
from icrs.groups.cohesion import WorkingTogether
from icrs.groups.models import GroupType, MemberRole


def _empty_first(enum):
    return [("", "—")] + enum.choices()


class GroupForm(FlaskForm):
    name = StringField(_l("Name of the group"), validators=[DataRequired(), Length(max=120)])
    group_type = SelectField(_l("Type"), choices=lambda: _empty_first(GroupType),
                             validators=[DataRequired()])
    facilitator_id = SelectField(_l("Facilitating organisation"), choices=[],
                                 validators=[Optional()])


class MemberForm(FlaskForm):
    case_number = StringField(_l("Case number"), validators=[DataRequired(), Length(max=24)],
                              description=_l("A person of your area, of either kind."))
    role = SelectField(_l("Role in the group"), choices=MemberRole.choices, default="member")
    joined_on = DateField(_l("Joined on"), validators=[Optional()])


class StatusForm(FlaskForm):
    target = SelectField(_l("Move to"), choices=[])


class PlanForm(FlaskForm):
    activity = StringField(_l("Activity"), validators=[DataRequired(), Length(max=200)])
    goals = TextAreaField(_l("Goals"), validators=[Optional(), Length(max=2000)])
    inputs = TextAreaField(_l("Inputs needed"), validators=[Optional(), Length(max=2000)])


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Date of the meeting"), validators=[DataRequired()])
    attendance = BoundedIntegerField(_l("People present"),
                                     validators=[InputRequired(), NumberRange(min=0, max=1000)])


def _scale(label):
    return BoundedIntegerField(label, validators=[DataRequired(), NumberRange(min=1, max=5)])


class FollowUpForm(FlaskForm):
    visited_on = DateField(_l("Date of the visit"), validators=[DataRequired()])
    trust = _scale(_l("Trust between members (1 very low – 5 very high)"))
    participation = _scale(_l("Participation in community activities (1 very low – 5 very "
                              "high)"))
    conflicts_resolved = BoundedIntegerField(
        _l("Conflicts resolved in the period"),
        validators=[InputRequired(), NumberRange(min=0, max=999)])
    working_together = SelectField(_l("Ex-associates and community members work together"),
                                   choices=lambda: _empty_first(WorkingTogether),
                                   validators=[DataRequired()])


class GrantForm(FlaskForm):
    assistance_type_id = SelectField(_l("Assistance"), choices=[], validators=[DataRequired()])
    total = BoundedIntegerField(_l("Total for the group"),
                                validators=[DataRequired(), NumberRange(min=1)],
                                description=_l("Shared equally between the current members: "
                                               "each share is approved and handed over like "
                                               "any assistance."))
    justification = TextAreaField(_l("Justification"),
                                  validators=[DataRequired(), Length(max=2000)])


class ReferralForm(FlaskForm):
    """The whole group referred to an organisation's service (a training for the group)."""
    organisation_id = SelectField(_l("Organisation"), choices=[], validators=[DataRequired()])
    service_category = SelectField(
        _l("Service category"), validators=[DataRequired()],
        choices=lambda: [("", "—")] + lookups.choices("service_category"),
        description=_l("The organisation learns the group's name and size, never who its "
                       "members are."))

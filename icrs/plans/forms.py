"""Plan forms: the draft (pathway, goals, actions as rows; blank rows are ignored, so more
rows are offered without JavaScript), the person's agreement, an action's progress."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from icrs.core.fields import BoundedIntegerField
from icrs.lookups.fields import LookupSelectField
from icrs.plans.models import ActionStatus, ActionType, AgreementMethod

EXTRA_ROWS = 2
BLANK = [("", "—")]


class GoalForm(Form):
    text = TextAreaField(_l("Goal"), validators=[Optional(), Length(max=4000)],
                         render_kw={"rows": 3})


class ActionForm(Form):
    description = TextAreaField(_l("What is done"), validators=[Length(max=4000)],
                                render_kw={"rows": 3})
    action_type = SelectField(_l("Type"), choices=BLANK + ActionType.choices(),
                              validate_choice=False)
    owner = SelectField(_l("Who does it"), choices=[], validate_choice=False)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    budget = BoundedIntegerField(
        _l("Budget (XAF)"), validators=[Optional(), NumberRange(
            min=0, message=_l("Give a whole amount, zero or more."))])
    status = SelectField(_l("Status"), choices=ActionStatus.choices(), validate_choice=False)
    carrier = SelectField(_l("Carried out by"), choices=[], validate_choice=False)

    def is_blank(self) -> bool:
        typed = [(f.raw_data or [""])[0] for f in (self.description, self.due_date, self.budget)]
        return not any(str(v).strip() for v in typed) and not self.carrier.data

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        ok = super().validate(extra_validators)
        for name, message in (("description", _l("Say what is done.")),
                              ("action_type", _l("Choose a type.")),
                              ("due_date", _l("Give a due date."))):
            field = getattr(self, name)
            if not field.data and not field.errors:
                field.errors = [*field.errors, message]
                ok = False
        return ok


class PlanForm(FlaskForm):
    pathway = LookupSelectField(_l("Pathway"), vocabulary="pathway",
                                validators=[DataRequired(message=_l("Choose a pathway."))])
    goals = FieldList(FormField(GoalForm), min_entries=1)
    actions = FieldList(FormField(ActionForm), min_entries=1)


class AgreementForm(FlaskForm):
    version_id = HiddenField()
    agreed_on = DateField(_l("Day the person agreed"), validators=[DataRequired()])
    method = SelectField(_l("How the person agreed"), choices=AgreementMethod.choices(),
                         validators=[DataRequired()])
    witness_name = StringField(_l("Witness (for a verbal agreement)"),
                               validators=[Optional(), Length(max=120)])
    note = TextAreaField(_l("Note for the supervisor (when the budget needs approval)"),
                         validators=[Optional(), Length(max=1000)])


class ProgressForm(FlaskForm):
    status = SelectField(_l("Status"), choices=ActionStatus.choices(), validate_choice=False)
    carrier = SelectField(_l("Carried out by"), choices=[], validate_choice=False)


class ConfirmForm(FlaskForm):
    """A button's form: the CSRF token only."""

"""The household panel's forms (validation only: the rules are the service's)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from icrs.core.fields import BoundedIntegerField
from icrs.core.vocab import Sex
from icrs.households.models import CHOSEN_REASONS, Relationship

EMPTY = [("", "—")]


def member_relationships():
    return EMPTY + [(r.value, r.label) for r in Relationship if r != Relationship.HEAD]


def _relationship_field():
    return SelectField(_l("Relationship to the head"), choices=member_relationships,
                       validators=[DataRequired(_l("Choose a relationship from the list."))])


class CreateHouseholdForm(FlaskForm):
    """Only the CSRF token: the person is the head."""


class RegisteredMemberForm(FlaskForm):
    case_number = StringField(_l("Case number"), validators=[
        DataRequired(_l("Give the case number.")), Length(max=24)])
    relationship = _relationship_field()
    lives_together = BooleanField(_l("Lives with the household"), default=True)


class LightMemberForm(FlaskForm):
    relationship = _relationship_field()
    sex = SelectField(_l("Sex"), choices=lambda: EMPTY + Sex.choices(),
                      validators=[DataRequired(_l("Choose the sex from the list."))])
    birth_year = BoundedIntegerField(_l("Birth year"), validators=[
        InputRequired(_l("Give the birth year (an estimate is fine)."))])
    lives_together = BooleanField(_l("Lives with the household"), default=True)


class MoveOutForm(FlaskForm):
    reason = SelectField(_l("Why the member left"),
                         choices=lambda: EMPTY + [(r.value, r.label) for r in CHOSEN_REASONS],
                         validators=[DataRequired(_l("Choose why the member left."))])


class ChangeMemberForm(FlaskForm):
    relationship = SelectField(_l("Relationship to the head"),
                               choices=lambda: [(r.value, r.label) for r in Relationship],
                               validators=[DataRequired()])
    lives_together = BooleanField(_l("Lives with the household"))


def panel_forms(household, **given):
    """Empty forms for the panel (one per member for the move-out and change forms), with
    the refused one shown again in its place."""
    forms = {"create": CreateHouseholdForm(prefix="hh"),
             "registered": RegisteredMemberForm(prefix="hhreg", formdata=None),
             "light": LightMemberForm(prefix="hhlight", formdata=None),
             "leave": {}, "change": {}}
    for member in household.current_members if household is not None else ():
        forms["leave"][member.id] = MoveOutForm(prefix=f"hhleave{member.id}", formdata=None)
        forms["change"][member.id] = ChangeMemberForm(
            prefix=f"hhchange{member.id}", formdata=None,
            data={"relationship": member.relationship.value,
                  "lives_together": member.lives_together})
    for key, form in given.items():
        if isinstance(form, tuple):  # (member id, form)
            forms[key][form[0]] = form[1]
        elif form is not None:
            forms[key] = form
    return forms

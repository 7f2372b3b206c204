"""The household actions of a case page (POST only; the panel itself is on the case page)."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.views import show_refusal
from icrs.extensions import db
from icrs.households import services
from icrs.households.forms import (
    ChangeMemberForm,
    CreateHouseholdForm,
    LightMemberForm,
    MoveOutForm,
    RegisteredMemberForm,
)
from icrs.people.models import Person
from icrs.people.views import load_person, render_case

bp = Blueprint("households", __name__, url_prefix="/people")
ANCHOR = "#household-h"


def _changeable(person_id) -> Person:
    """404 out of scope; 403 for whoever may read the case but not change its household."""
    person = load_person(person_id)
    if not services.can_change(current_user, person):
        abort(403)
    return person


def _done(person, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("people.detail", person_id=person.id) + ANCHOR)


def _refused(person, key, form, exc=None, member_id=None):
    """The case page again, the message at the form's field (4xx), nothing saved."""
    status = show_refusal(exc, form) if exc is not None else 400
    if exc is None:
        db.session.rollback()
    person = db.session.get(Person, person.id)
    refused = {key: (member_id, form) if member_id is not None else form}
    return render_case(person, status, household_refused=refused)


@bp.route("/<uuid:person_id>/household", methods=["POST"])
@permission_required("people.edit")
def create(person_id):
    person = _changeable(person_id)
    form = CreateHouseholdForm(prefix="hh")
    if not form.validate_on_submit():
        return _refused(person, "create", form)
    try:
        services.create_household(current_user, person)
    except DomainError as exc:
        return _refused(person, "create", form, exc)
    return _done(person, _l("Household created, with this person as its head."))


@bp.route("/<uuid:person_id>/household/members", methods=["POST"])
@permission_required("people.edit")
def add_registered(person_id):
    person = _changeable(person_id)
    form = RegisteredMemberForm(prefix="hhreg")
    if not form.validate_on_submit():
        return _refused(person, "registered", form)
    try:
        services.add_registered_member(current_user, person, form.case_number.data,
                                       form.relationship.data, form.lives_together.data)
    except DomainError as exc:
        return _refused(person, "registered", form, exc)
    return _done(person, _l("Member added to the household."))


@bp.route("/<uuid:person_id>/household/light-members", methods=["POST"])
@permission_required("people.edit")
def add_light(person_id):
    person = _changeable(person_id)
    form = LightMemberForm(prefix="hhlight")
    if not form.validate_on_submit():
        return _refused(person, "light", form)
    try:
        services.add_light_member(current_user, person, form.relationship.data, form.sex.data,
                                  form.birth_year.data, form.lives_together.data)
    except DomainError as exc:
        return _refused(person, "light", form, exc)
    return _done(person, _l("Member added to the household."))


@bp.route("/<uuid:person_id>/household/members/<int:member_id>/leave", methods=["POST"])
@permission_required("people.edit")
def leave(person_id, member_id):
    person = _changeable(person_id)
    form = MoveOutForm(prefix=f"hhleave{member_id}")
    if not form.validate_on_submit():
        return _refused(person, "leave", form, member_id=member_id)
    try:
        services.move_out(current_user, person, member_id, form.reason.data)
    except DomainError as exc:
        return _refused(person, "leave", form, exc, member_id)
    return _done(person, _l("Member moved out of the household; they stay listed as an "
                            "earlier member."))


@bp.route("/<uuid:person_id>/household/members/<int:member_id>", methods=["POST"])
@permission_required("people.edit")
def change(person_id, member_id):
    person = _changeable(person_id)
    form = ChangeMemberForm(prefix=f"hhchange{member_id}")
    if not form.validate_on_submit():
        return _refused(person, "change", form, member_id=member_id)
    try:
        services.change_member(current_user, person, member_id, form.relationship.data,
                               form.lives_together.data)
    except DomainError as exc:
        return _refused(person, "change", form, exc, member_id)
    return _done(person, _l("Household member updated."))

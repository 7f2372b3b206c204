"""Merging a duplicate into a case: GET shows what would move (nothing written), POST merges."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.fields import parse_uuid
from icrs.core.views import show_refusal
from icrs.extensions import db
from icrs.people import queries
from icrs.people.merge import PERMISSION, merge_people, preview_merge
from icrs.people.models import Person
from icrs.people.views import bp, load_person


def _page(survivor, preview=None, error=None, other="", status=200):
    return render_template("people/merge.html", person=survivor, preview=preview, error=error,
                           other=other), status


def _other_by_number(number):
    """The duplicate named by its case number, among the cases the user may see."""
    stmt = queries.scoped(sa.select(Person), current_user).where(
        Person.case_number == number.strip().upper())
    return db.session.scalar(stmt)


@bp.route("/<uuid:person_id>/merge", methods=["GET"])
@permission_required(PERMISSION)
def merge(person_id):
    survivor = load_person(person_id)
    number = (request.args.get("other") or "")[:24]
    if not number.strip():
        return _page(survivor)
    other = _other_by_number(number)
    if other is None:
        return _page(survivor, error=_l("No case with this number among yours."), other=number,
                     status=404)
    try:
        preview = preview_merge(current_user, survivor, other)
    except DomainError as exc:
        if isinstance(exc, AccessDenied):
            raise
        return _page(survivor, error=exc.message, other=number, status=exc.status)
    return _page(survivor, preview, other=number)


@bp.route("/<uuid:person_id>/merge", methods=["POST"])
@permission_required(PERMISSION)
def merge_apply(person_id):
    survivor = load_person(person_id)
    other_id = parse_uuid(request.form.get("other_id"))
    other = db.session.get(Person, other_id) if other_id else None
    if other is None or not other.can_view(current_user):
        abort(404)
    try:
        merge_people(current_user, survivor, other)
    except DomainError as exc:
        status = show_refusal(exc, at_top=False)  # rolled back; the message as a flash
        return _page(db.session.get(Person, survivor.id), other=other.case_number,
                     status=status)
    db.session.commit()
    flash(_l("Case %(merged)s merged into this case.", merged=other.case_number), "success")
    return redirect(url_for("people.detail", person_id=survivor.id))

"""Erasure pages: ask for the erasure of a case (then a second person approves it in
/approvals), and the administrator's list of cases past their retention period."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from icrs.approvals.forms import RequestForm
from icrs.auth.access import permission_required
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.pagination import page_arg, paginate
from icrs.core.views import form_error
from icrs.extensions import db
from icrs.people import erasure
from icrs.people.models import Person
from icrs.people.views import bp, erased_response


def _person_to_erase(person_id) -> Person:
    """404 unless the user may ask for this case's erasure; 410 once it is erased."""
    person = db.session.get(Person, person_id)
    if person is not None and person.is_erased:
        abort(erased_response())
    if person is None or not erasure.can_request(current_user, person):
        abort(404)
    return person


@bp.route("/<uuid:person_id>/erasure", methods=["GET", "POST"])
@permission_required("approvals.view")
def erasure_request(person_id):
    person = _person_to_erase(person_id)
    pending = erasure.pending_request(person)
    form = RequestForm()
    context = {"person": person, "pending": pending}
    if pending is not None or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("people/erasure_request.html", form=form, **context), status
    try:
        erasure.request_erasure(current_user, person, form.reason.data)
    except AccessDenied:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        return form_error(form, exc, "people/erasure_request.html", **context)
    db.session.commit()
    flash(_l("Erasure requested. A second person must approve it."), "success")
    return redirect(url_for("approvals.index"))


@bp.route("/erasure/candidates")
@permission_required("people.erase")
def erasure_candidates():
    stmt = erasure.retention_candidates().options(selectinload(Person.site))
    page = paginate(stmt, page_arg(request.args), 50)
    return render_template("people/erasure_candidates.html", page=page,
                           years=erasure.retention_years())

"""Recording a child's best-interest assessment from the case page (sign-off: icrs/approvals)."""
from flask import abort, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.extensions import db
from icrs.people import best_interest, minors  # noqa: F401 - minors answers case_panels
from icrs.people.forms import BestInterestForm
from icrs.people.views import bp, load_person, refuse, render_case


@bp.route("/<uuid:person_id>/best-interest", methods=["POST"])
@permission_required("people.edit")
def best_interest_add(person_id):
    person = load_person(person_id)
    if not best_interest.can_record(current_user, person):
        abort(403)
    form = BestInterestForm(prefix="bia")
    if not form.validate_on_submit():
        return render_case(person, 400, best_interest_form=form)
    try:
        best_interest.record_best_interest(current_user, person, form.recommendation.data,
                                           form.assessment.data)
    except DomainError as exc:
        return refuse(exc, person, "best_interest_form", form)
    db.session.commit()
    flash(_l("Assessment recorded and sent to a supervisor for sign-off."), "success")
    return redirect(url_for("people.detail", person_id=person.id))

"""The caseworker asks, from the case page, for a supervisor's approval of a stage move
(reintegration, exit as found ineligible, reopening); the decision is made in /approvals or
on the case page, by the approvals' own routes."""
from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.extensions import db
from icrs.people import stage_approvals
from icrs.people.forms import ApprovalAskForm
from icrs.people.views import bp, load_person, refuse, render_case


@bp.route("/<uuid:person_id>/approval-request", methods=["POST"])
@permission_required("people.edit")
def approval_request(person_id):
    person = load_person(person_id)
    form = ApprovalAskForm(prefix="ask")
    form.kind.choices = [(request.form.get("ask-kind", ""), "")]
    if not stage_approvals.can_request(current_user, person):
        return refuse(stage_approvals.refusal(), person)
    if not form.validate_on_submit():
        return render_case(person, 400, ask_form=form)
    try:
        stage_approvals.request_move(current_user, person, form.kind.data, form.reason.data)
    except DomainError as exc:
        return refuse(exc, person, "ask_form", form)
    db.session.commit()
    flash(_l("Sent to the supervisors for approval: they are notified."), "success")
    return redirect(url_for("people.detail", person_id=person.id))

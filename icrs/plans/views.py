"""Plan pages: the plan (in force, being prepared, history), one version, the draft's form,
the person's agreement, an action's progress. Every page that shows a plan audits the view."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from icrs.audit.services import commit_view
from icrs.auth.access import permission_required
from icrs.auth.models import User
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.fields import parse_uuid, safe_int
from icrs.core.timeutil import today
from icrs.extensions import db
from icrs.people.services import mark_viewed
from icrs.people.views import load_person
from icrs.plans import approval, case, links, services  # noqa: F401 - case answers signals
from icrs.plans.forms import EXTRA_ROWS, AgreementForm, ConfirmForm, PlanForm, ProgressForm
from icrs.plans.models import PlanAction, PlanStatus, PlanVersion
from icrs.plans.queries import current_plan, open_version, versions

bp = Blueprint("plans", __name__)


@bp.app_template_filter("lines")
def lines(text):
    """Free text as written: escaped first, then each line break kept (lists stay lists)."""
    if not text:
        return ""
    return Markup("<br>\n").join(escape(line) for line in str(text).splitlines())


bp.add_app_template_global(links.carrier_label, "carrier_label")


# --- reading --------------------------------------------------------------------------------------
def _viewed(person):
    mark_viewed(current_user, person, "plan")
    commit_view()


def _owner_choices(person):
    users = db.session.scalars(sa.select(User).where(
        User.site_id == person.site_id, User.active.is_(True)).order_by(User.full_name)).all()
    return [(services.PERSON, _l("The person"))] + [(str(u.id), u.full_name) for u in users]


def _carrier_choices(person):
    return [("", _l("Nothing linked"))] + links.carriers_of(person)


def _progress_forms(version, person):
    if version is None or version.status != PlanStatus.AGREED \
            or not services.can_prepare(current_user, person):
        return {}
    carriers = _carrier_choices(person)
    forms = {}
    for action in version.actions:
        carrier = f"referral:{action.referral_id}" if action.referral_id else (
            f"entitlement:{action.entitlement_id}" if action.entitlement_id else "")
        form = ProgressForm(prefix=f"p-{action.id.hex[:8]}", formdata=None,
                            data={"status": action.status.value, "carrier": carrier})
        form.carrier.choices = carriers
        forms[action.id] = form
    return forms


def _agreement_form(pending, form=None):
    if pending is None or not pending.is_draft:
        return None
    return form or AgreementForm(formdata=None, data={"agreed_on": today(),
                                                      "version_id": str(pending.id)})


@bp.route("/people/<uuid:person_id>/plan")
@permission_required("people.view")
def detail(person_id):
    return _detail_page(load_person(person_id))


def _detail_page(person, status=200, agreement_form=None):
    plan, pending = current_plan(person), open_version(person)
    _viewed(person)
    return render_template(
        "plans/detail.html", person=person, plan=plan, pending=pending,
        versions=versions(person), can_prepare=services.can_prepare(current_user, person),
        request=approval.pending_request(pending) if pending is not None else None,
        threshold=services.approval_threshold(),
        agreement_form=_agreement_form(pending, agreement_form),
        progress_forms=_progress_forms(plan, person)), status


@bp.route("/people/<uuid:person_id>/plan/versions/<uuid:version_id>")
@permission_required("people.view")
def version(person_id, version_id):
    person = load_person(person_id)
    shown = db.session.get(PlanVersion, version_id)
    if shown is None or shown.person_id != person.id:
        abort(404)
    _viewed(person)
    return render_template("plans/version.html", person=person, version=shown,
                           versions=versions(person))


# --- the draft ------------------------------------------------------------------------------------
def _editable_person(person_id):
    person = load_person(person_id)
    if not services.can_prepare(current_user, person):
        abort(403)
    return person


def _initial_data(person):
    source = open_version(person) or current_plan(person)
    if source is None:
        return {"pathway": services.default_pathway(person) or "", "goals": [], "actions": []}
    return {"pathway": source.pathway,
            "goals": [{"text": g.text} for g in source.goals],
            "actions": [{"description": a.description, "action_type": a.action_type.value,
                         "owner": services.PERSON if a.owner_is_person else str(a.owner_id),
                         "due_date": a.due_date, "budget": a.budget,
                         "status": a.status.value, "carrier": _carrier_value(a)}
                        for a in source.actions]}


def _carrier_value(action):
    if action.referral_id:
        return f"referral:{action.referral_id}"
    return f"entitlement:{action.entitlement_id}" if action.entitlement_id else ""


def _plan_form(person, submitted=False):
    if submitted:
        form = PlanForm()
    else:
        data = _initial_data(person)
        data["goals"] += [{}] * EXTRA_ROWS
        data["actions"] += [{"owner": services.PERSON}] * EXTRA_ROWS
        form = PlanForm(formdata=None, data=data)
    owners, carriers = _owner_choices(person), _carrier_choices(person)
    for entry in form.actions:
        entry.form.owner.choices, entry.form.carrier.choices = owners, carriers
    return form


def _edit_page(person, form, status=200):
    _viewed(person)
    return render_template("plans/edit.html", person=person, form=form,
                           pending=open_version(person),
                           threshold=services.approval_threshold()), status


@bp.route("/people/<uuid:person_id>/plan/edit", methods=["GET", "POST"])
@permission_required("people.edit")
def edit(person_id):
    person = _editable_person(person_id)
    form = _plan_form(person, submitted=request.method == "POST")
    if not form.is_submitted():
        return _edit_page(person, form)
    if not form.validate():
        return _edit_page(person, form, 400)
    try:
        services.save_draft(current_user, person, form.pathway.data,
                            [g.form.text.data for g in form.goals], _actions(form))
    except DomainError as exc:
        return _edit_page(person, form, _refuse(exc, form))
    db.session.commit()
    flash(_l("Draft saved. Record the person's agreement when it is ready."), "success")
    return redirect(url_for("plans.detail", person_id=person.id) + "#pending-h")


def _actions(form):
    out = []
    for entry in form.actions:
        row = entry.form
        if row.is_blank():
            out.append(None)
            continue
        owner = row.owner.data
        out.append({"description": row.description.data, "action_type": row.action_type.data,
                    "owner": owner if owner == services.PERSON else safe_int(owner),
                    "due_date": row.due_date.data, "budget": row.budget.data,
                    "status": row.status.data, "carrier": row.carrier.data})
    return out


def _refuse(exc, form) -> int:
    """The message at its field (nested rows too: "actions-0-budget"), nothing saved."""
    db.session.rollback()
    if isinstance(exc, AccessDenied):
        raise exc
    field = _find_field(form, exc.field or "")
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)
    return exc.status


def _find_field(form, name):
    if name in form._fields:
        return form._fields[name]
    head, _sep, rest = name.partition("-")
    index, _sep, sub = rest.partition("-")
    container = form._fields.get(head)
    number = safe_int(index, low=0, high=1000)
    if container is None or number is None or number >= len(container.entries):
        return None
    return container.entries[number].form._fields.get(sub)


@bp.route("/people/<uuid:person_id>/plan/discard", methods=["POST"])
@permission_required("people.edit")
def discard(person_id):
    person = _editable_person(person_id)
    pending = open_version(person)
    if not ConfirmForm().validate_on_submit() or pending is None:
        abort(400)
    try:
        services.discard_draft(current_user, pending)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return _detail_page(db.session.get(type(person), person.id), exc.status)
    db.session.commit()
    flash(_l("Draft discarded."), "success")
    return redirect(url_for("plans.detail", person_id=person.id))


# --- agreement and progress -----------------------------------------------------------------------
@bp.route("/people/<uuid:person_id>/plan/agreement", methods=["POST"])
@permission_required("people.edit")
def agree(person_id):
    person = _editable_person(person_id)
    form = AgreementForm()
    pending = open_version(person)
    if pending is None or parse_uuid(form.version_id.data) != pending.id:
        flash(_l("The draft changed in the meantime: look at it again."), "danger")
        return redirect(url_for("plans.detail", person_id=person.id))
    if not form.validate_on_submit():
        return _detail_page(person, 400, form)
    try:
        services.record_agreement(current_user, pending, form.agreed_on.data, form.method.data,
                                  form.witness_name.data, form.note.data)
    except DomainError as exc:
        status = _refuse(exc, form)
        return _detail_page(db.session.get(type(person), person.id), status, form)
    db.session.commit()
    message = _l("Agreement recorded. The budget is over the threshold: a supervisor must "
                 "approve the plan before it is in force.") \
        if pending.status == PlanStatus.AWAITING_APPROVAL else _l("Plan agreed: it is in force.")
    flash(message, "success")
    return redirect(url_for("plans.detail", person_id=person.id))


@bp.route("/plan-actions/<uuid:action_id>/progress", methods=["POST"])
@permission_required("people.edit")
def progress(action_id):
    action = db.session.get(PlanAction, action_id) or abort(404)
    person = _editable_person(action.person_id)
    form = ProgressForm(prefix=f"p-{action.id.hex[:8]}")
    if not form.validate_on_submit():
        abort(400)
    try:
        services.update_progress(current_user, action, form.status.data, form.carrier.data)
    except DomainError as exc:
        db.session.rollback()
        if isinstance(exc, AccessDenied):
            raise
        flash(exc.message, "danger")
        return _detail_page(db.session.get(type(person), person.id), exc.status)
    db.session.commit()
    flash(_l("Action updated."), "success")
    return redirect(url_for("plans.detail", person_id=person.id) + "#in-force-h")

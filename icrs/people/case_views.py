"""Actions on a case: identity edit, consent, notes, counselling, follow-ups, stage, reassign."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.audit.services import commit_view
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.fields import safe_int
from icrs.core.timeutil import today
from icrs.core.views import form_error
from icrs.extensions import db
from icrs.people import casework, follow_ups, services, stages
from icrs.people.forms import (
    ConsentForm,
    CounsellingForm,
    FollowUpForm,
    IdentityForm,
    NoteForm,
    ReassignForm,
    StageForm,
)
from icrs.people.models import Consent, FollowUp
from icrs.people.services import consent_texts
from icrs.people.views import bp, load_person, refuse, render_case
from icrs.people.visit_forms import visit_form


def _done(person, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("people.detail", person_id=person.id))


def _editable_person(person_id):
    """404 out of scope; 403 for a colleague who may read but not edit (before any validation)."""
    person = load_person(person_id)
    if not person.can_edit(current_user):
        abort(403)
    return person


@bp.route("/<uuid:person_id>/edit", methods=["GET", "POST"])
@permission_required("people.edit")
def edit(person_id):
    person = _editable_person(person_id)
    form = IdentityForm(obj=person if request.method == "GET" else None)
    if request.method == "GET":
        form.estimated_age.data = person.age
        services.mark_viewed(current_user, person, "identity_edit")
        commit_view()
    if form.validate_on_submit():
        try:
            services.update_identity(current_user, person, form.to_data(today().year))
        except DomainError as exc:
            return form_error(form, exc, "people/edit.html", person=person)
        return _done(person, _l("Identity updated."))
    status = 400 if request.method == "POST" else 200
    return render_template("people/edit.html", form=form, person=person), status


@bp.route("/<uuid:person_id>/consent", methods=["POST"])
@permission_required("people.edit")
def consent_add(person_id):
    person = _editable_person(person_id)
    form = ConsentForm(prefix="consent")
    from icrs.people.case_page import service_categories
    form.service_category.choices = [("", "—")] + service_categories()
    if not form.validate_on_submit():
        return render_case(person, 400, consent_form=form)
    try:
        services.record_consent(
            current_user, person, form.purpose.data, form.method.data, form.witness_name.data,
            form.service_category.data or None,
            shown_text_id=consent_texts.shown_id(form.shown_texts.data, form.purpose.data),
            given_by=form.given_by.data or None,
            caregiver_relationship=form.caregiver_relationship.data or None,
            caregiver_name=form.caregiver_name.data)
    except DomainError as exc:
        return refuse(exc, person, "consent_form", form)
    return _done(person, _l("Consent recorded."))


@bp.route("/<uuid:person_id>/consent/<uuid:consent_id>/withdraw", methods=["POST"])
@permission_required("people.view")
def consent_withdraw(person_id, consent_id):
    person = load_person(person_id)
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.person_id != person.id:
        abort(404)
    try:
        services.withdraw_consent(current_user, person, consent)
    except DomainError as exc:
        return refuse(exc, person)
    return _done(person, _l("Consent withdrawn. It takes effect now."))


@bp.route("/<uuid:person_id>/notes", methods=["POST"])
@permission_required("people.edit")
def note_add(person_id):
    person = _editable_person(person_id)
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        return render_case(person, 400, note_form=form)
    try:
        casework.add_note(current_user, person, form.text.data)
    except DomainError as exc:
        return refuse(exc, person, "note_form", form)
    return _done(person, _l("Note saved."))


@bp.route("/<uuid:person_id>/counselling", methods=["POST"])
@permission_required("people.edit")
def counselling_add(person_id):
    person = _editable_person(person_id)
    form = CounsellingForm(prefix="counsel")
    if not form.validate_on_submit():
        return render_case(person, 400, counselling_form=form)
    try:
        casework.record_counselling(current_user, person, form.notes.data)
    except DomainError as exc:
        return refuse(exc, person, "counselling_form", form)
    return _done(person, _l("Counselling session saved."))


@bp.route("/<uuid:person_id>/follow-ups", methods=["POST"])
@permission_required("people.edit")
def follow_up_add(person_id):
    person = _editable_person(person_id)
    form = FollowUpForm(prefix="fu")
    if not form.validate_on_submit():
        return render_case(person, 400, follow_up_form=form)
    try:
        casework.schedule_follow_up(current_user, person, form.due_date.data, form.purpose.data)
    except DomainError as exc:
        return refuse(exc, person, "follow_up_form", form)
    return _done(person, _l("Follow-up planned."))


@bp.route("/<uuid:person_id>/follow-ups/<uuid:follow_up_id>/done", methods=["GET", "POST"])
@permission_required("people.edit")
def follow_up_done(person_id, follow_up_id):
    """The structured visit form: a page of its own (it shows the case number and due date
    only, no personal value, so a GET writes nothing)."""
    person = _editable_person(person_id)
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.person_id != person.id or follow_up.done_at is not None:
        abort(404)
    form = visit_form(prefix="visit")
    if request.method == "GET":
        form.visit_date.data = follow_ups.local_today(current_user)
    elif form.validate_on_submit():
        try:
            follow_ups.record_visit(current_user, person, follow_up, form.visit_data(),
                                    form.note.data, form_version=form.form_version)
        except DomainError as exc:
            return form_error(form, exc, "people/follow_up_visit.html", person=person,
                              follow_up=follow_up)
        return _done(person, _l("Follow-up visit recorded."))
    status = 400 if request.method == "POST" else 200
    return render_template("people/follow_up_visit.html", form=form, person=person,
                           follow_up=follow_up), status


@bp.route("/<uuid:person_id>/stage", methods=["POST"])
@permission_required("people.view")
def stage_change(person_id):
    person = load_person(person_id)
    form = StageForm(prefix="stage")
    form.target.choices = [(request.form.get("stage-target", ""), "")]
    if not form.validate_on_submit():
        return render_case(person, 400, stage_form=form)
    from icrs.people.states import Stage
    target = form.target.data
    try:
        target = target if target in ("resume", "reopen") else Stage(target)
        stages.change_stage(current_user, person, target, form.reason.data or None)
    except ValueError:
        return refuse(DomainError(_l("Choose a stage."), "target"), person, "stage_form", form)
    except DomainError as exc:
        return refuse(exc, person, "stage_form", form)
    return _done(person, _l("Stage changed."))


@bp.route("/<uuid:person_id>/reassign", methods=["POST"])
@permission_required("people.reassign")
def reassign(person_id):
    person = load_person(person_id)
    form = ReassignForm(prefix="assign")
    form.caseworker_id.choices = [(request.form.get("assign-caseworker_id", ""), "")]
    from icrs.auth.models import User
    worker_id = safe_int(form.caseworker_id.data)
    worker = db.session.get(User, worker_id) if worker_id is not None else None
    try:
        if worker is None:
            raise DomainError(_l("Choose a caseworker."), "caseworker_id")
        services.reassign(current_user, person, worker)
    except DomainError as exc:
        return refuse(exc, person, "reassign_form", form)
    return _done(person, _l("Case reassigned."))


@bp.route("/follow-ups")
@permission_required("people.view")
def followups():
    from icrs.core.pagination import page_arg, paginate
    from icrs.crypto import preload_keys
    from icrs.people.queries import overdue_follow_ups
    page = paginate(overdue_follow_ups(current_user), page_arg(request.args), 50)
    if page.items:  # the purposes are personal (encrypted) free text
        preload_keys(f.person_id for f in page.items)
        services.record_list_view(current_user, len(page.items))
        commit_view()
    return render_template("people/followups.html", page=page)


"""The case page's assistance actions: propose, resubmit, hand over, correct, resolve a
possible double entitlement. Each answers with a redirect, or the case page again with the
message at the field (4xx, nothing saved). Decisions are the approvals' pages."""
from flask import abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.assistance import case, ledger, services
from icrs.assistance.forms import ProposeForm, ResolveForm, ResubmitForm, ReverseForm
from icrs.assistance.models import AssistanceType, Entitlement, Handover
from icrs.assistance.views import bp
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.fields import safe_int
from icrs.core.views import show_refusal
from icrs.documents.services import max_bytes
from icrs.extensions import db
from icrs.people.models import Person
from icrs.people.views import load_person, render_case

FORM_OVERHEAD = 64 * 1024


@bp.url_value_preprocessor
def _upload_limit(endpoint, _values):
    """The handover may carry the photo of the signed form (set before CSRF reads the body)."""
    if endpoint == "assistance.handover_new":
        request.max_content_length = max_bytes() + FORM_OVERHEAD


def _done(person, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("people.detail", person_id=person.id) + "#assistance-h")


def _again(person, status, forms):
    """The case page with the refused form (the rest rebuilt after the rollback)."""
    person = db.session.get(Person, person.id)
    return render_case(person, status, assistance=case.panel(person, current_user, forms))


def _refused(exc, person, key, form):
    status = show_refusal(exc, form)
    return _again(person, status, {key: form})


def _entitlement(entitlement_id):
    entitlement = db.session.get(Entitlement, entitlement_id) or abort(404)
    return entitlement, load_person(entitlement.person_id)


@bp.route("/people/<uuid:person_id>/entitlements", methods=["POST"])
@permission_required("assistance.propose")
def propose(person_id):
    person = load_person(person_id)
    if not services.can_propose(current_user, person):
        abort(403)
    form = ProposeForm(prefix="ent")
    if not form.validate_on_submit():
        return _again(person, 400, {"propose": form})
    try:
        services.propose_entitlement(current_user, person,
                                     db.session.get(AssistanceType,
                                                    form.assistance_type_id.data or 0),
                                     form.amount.data, form.justification.data)
    except DomainError as exc:
        return _refused(exc, person, "propose", form)
    return _done(person, _l("Assistance proposed: a supervisor must now approve it."))


@bp.route("/entitlements/<uuid:entitlement_id>/resubmit", methods=["POST"])
@permission_required("assistance.propose")
def resubmit(entitlement_id):
    entitlement, person = _entitlement(entitlement_id)
    form = ResubmitForm(prefix=f"re-{entitlement.id.hex[:8]}")
    key = ("resubmit", entitlement.id)
    if not form.validate_on_submit():
        return _again(person, 400, {key: form})
    try:
        services.resubmit_entitlement(current_user, entitlement, form.amount.data,
                                      form.justification.data, form.row_version.data or None)
    except DomainError as exc:
        return _refused(exc, person, key, form)
    return _done(person, _l("Proposal sent again for approval."))


def _item_quantities(entitlement, prefix):
    """{item id: quantity} typed in the form's kit lines (blank = none, else a whole number)."""
    out = {}
    for item in entitlement.assistance_type.items:
        raw = request.form.get(f"{prefix}item-{item.id}", "").strip()
        if raw:
            number = safe_int(raw, low=0, high=100000)
            out[item.id] = -1 if number is None else number  # refused at the field
    return out


@bp.route("/entitlements/<uuid:entitlement_id>/handovers", methods=["POST"])
@permission_required("people.edit")
def handover_new(entitlement_id):
    entitlement, person = _entitlement(entitlement_id)
    if not person.can_edit(current_user):
        abort(403)
    form = case._handover_form(entitlement, submitted=True)
    key = ("handover", entitlement.id)
    if not form.validate_on_submit():
        return _again(person, 400, {key: form})
    upload = form.photo.data
    photo = (upload.filename, upload.read(max_bytes() + 1)) \
        if getattr(upload, "filename", None) else None
    data = {name: getattr(form, name).data for name in (
        "handed_on", "site_id", "value", "receipt_method", "witness_name", "signature")}
    data["items"] = _item_quantities(entitlement, form._prefix)
    try:
        ledger.record_handover(current_user, entitlement, data, photo,
                               version=form.row_version.data or None)
    except DomainError as exc:
        if exc.field == "signature":
            form.signature.data = ""  # refused: not drawn back on the pad
        return _refused(exc, person, key, form)
    return _done(person, _l("Handover recorded."))


@bp.route("/handovers/<uuid:handover_id>/reverse", methods=["POST"])
@permission_required("people.edit")
def handover_reverse(handover_id):
    handover = db.session.get(Handover, handover_id) or abort(404)
    person = load_person(handover.person_id)
    if not person.can_edit(current_user):
        abort(403)
    form = ReverseForm(prefix="rev")
    if not form.validate_on_submit():
        flash(_l("Say why this line is corrected."), "danger")
        return _again(person, 400, {})
    try:
        ledger.reverse_handover(current_user, handover, form.reason.data,
                                version=form.row_version.data or None)
    except DomainError as exc:
        show_refusal(exc)
        return _again(person, exc.status, {})
    return _done(person, _l("Correction recorded: the line is reversed."))


@bp.route("/entitlements/<uuid:entitlement_id>/duplicates", methods=["POST"])
@permission_required("assistance.resolve")
def resolve_duplicates(entitlement_id):
    entitlement, person = _entitlement(entitlement_id)
    form = ResolveForm(prefix="dup")
    shown = safe_int(form.shown.data, low=1, high=1000)
    if not form.validate_on_submit() or shown is None:
        abort(400)
    try:
        services.resolve_duplicates(current_user, entitlement, shown)
    except DomainError as exc:
        show_refusal(exc)
        return _again(person, exc.status, {})
    return _done(person, _l("Recorded: these cases are different people. The approval can "
                            "go ahead."))

"""Referral pages for caseworkers and supervisors: lists, overdue queue, creating a referral with
suggested services, the referral page, send / withdraw / acknowledge. Provider pages are in
provider_views.py, notifications in notification_views.py (same blueprint)."""
import uuid
from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.auth.roles import Role
from icrs.core.errors import DomainError
from icrs.core.pagination import page_arg, paginate
from icrs.core.signals import values_from_signal
from icrs.core.views import show_refusal
from icrs.directory.models import Service
from icrs.extensions import db
from icrs.people.models import Person
from icrs.people.protection import PROTECTION_LABEL, is_protection_category, may_know
from icrs.people.views import load_person
from icrs.referrals import matching, queries, sensitive, services, signals
from icrs.referrals.forms import (
    AcknowledgeForm,
    ListFilterForm,
    ReferralConsentForm,
    ReferralForm,
    SendForm,
    WithdrawForm,
)
from icrs.referrals.matching import current_profile
from icrs.referrals.models import Referral
from icrs.referrals.packet import build_packet, packet_rows, packet_visible
from icrs.referrals.states import ReferralStatus

bp = Blueprint("referrals", __name__, url_prefix="/referrals")


def is_staff(user):
    """Caseworkers and supervisors (providers have their own portal)."""
    return user.can("referrals.view") and user.role != Role.PROVIDER


def staff_view(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not is_staff(current_user):
            abort(403)
        return view(*args, **kwargs)

    wrapped.allows = is_staff  # what navigation asks (icrs.navigation.may_open)
    return permission_required("referrals.view")(wrapped)


def load_referral(referral_id) -> Referral:
    """404 for an unknown referral and for one outside the user's scope."""
    referral = db.session.get(Referral, referral_id)
    if referral is None or current_user.role == Role.PROVIDER \
            or not referral.can_view(current_user):
        abort(404)
    return referral


@bp.app_template_global()
def referral_service(referral):
    """The service's name as the signed-in user may see it (icrs.referrals.sensitive)."""
    return sensitive.service_label(referral, current_user)


@bp.app_template_global()
def referral_service_shown(referral):
    return sensitive.shows_service(referral, current_user)


@bp.app_template_global()
def worklist_service_shown(row):
    """A worklist row (person_id, category, service): the same rule as for a referral (the
    person is read only for a protection category)."""
    return not is_protection_category(row.category) or may_know(
        row.category, current_user, db.session.get(Person, row.person_id))


@bp.app_template_global()
def worklist_service(row):
    return row.service if worklist_service_shown(row) else PROTECTION_LABEL


# --- lists ----------------------------------------------------------------------------------------
@bp.route("/")
@staff_view
def index():
    return _list(overdue_only=False)


@bp.route("/overdue")
@staff_view
def overdue():
    return _list(overdue_only=True)


def _list(overdue_only):
    form = ListFilterForm(request.args)
    args = form.data if form.validate() else {}
    base = queries.staff_scope(sa.select(Referral), current_user)
    stmt = queries.filtered(base, args.get("status"), overdue_only or args.get("overdue"),
                            current_user if args.get("mine") else None)
    counts, overdue_count = queries.list_counts(base)
    unfiltered = stmt is base  # then the tabs' counts already give the total
    page = paginate(queries.ordered(stmt), page_arg(request.args), 25, key=Referral.id,
                    total=sum(counts.values()) if unfiltered else None)
    if page.items:
        record("referrals.list_viewed", actor=current_user, object_type="referral",
               count=len(page.items), overdue=bool(overdue_only or args.get("overdue")))
        commit_view()
    return render_template("referrals/index.html", form=form, page=page,
                           overdue_only=overdue_only, counts=counts,
                           overdue_count=overdue_count)


# --- creating -------------------------------------------------------------------------------------
def _editable_person(person_id):
    person = load_person(person_id)
    if not person.can_edit(current_user):
        abort(403)
    return person


def _service_choices(form, suggestions):
    eligible = [s.service for s in suggestions if s.eligible]
    others = [s.service for s in suggestions if not s.eligible]
    form.service_id.choices = [("", "—")] + [
        (str(s.id), f"{s.name} — {s.organisation.display_name}") for s in eligible + others]


def _render_new(person, form, status=200, preview=None):
    suggestions = matching.suggest(person, limit=50)
    _service_choices(form, suggestions)
    return render_template("referrals/new.html", person=person, form=form,
                           suggestions=suggestions[:10], preview=preview), status


def _consent_step(person, form, service):
    """GBV, MHPSS: the exact details are shown to the person before their consent is taken; a
    response (nothing written) while the confirmation is not for the details now on the form."""
    if not sensitive.per_referral(service):
        return None
    packet = sensitive.draft_packet(person, form.to_data())
    shown = sensitive.fingerprint(packet)
    if form.consent_fingerprint.data == shown:
        return None
    if form.consent_fingerprint.data:  # the details changed after they were read out
        form.consent_confirmed.errors = [_l("The details to share changed. Read them to the "
                                            "person again, then confirm.")]
    form.consent_fingerprint.data = shown
    form.consent_confirmed.data = False
    return _render_new(person, form, 400 if form.consent_confirmed.errors else 200,
                       preview=_preview(person, service, packet))


def _preview(person, service, packet):
    """The details the person is asked to consent to: a response that shows them is audited."""
    record("referrals.consent_preview_viewed", actor=current_user, obj=person,
           service=str(service.id), fields=sorted(packet))
    commit_view()
    return sensitive.preview_rows(packet)


@bp.route("/new/<uuid:person_id>", methods=["GET", "POST"])
@permission_required("referrals.create")
def new(person_id):
    person = _editable_person(person_id)
    form = ReferralForm()
    if request.method == "GET":
        form.service_id.data = request.args.get("service_id", "") or _default_service(person)
        return _render_new(person, form)
    service = _chosen_service(form.service_id.data)
    if not form.validate_on_submit() or service is None:
        if service is None and not form.service_id.errors:
            form.service_id.errors = list(form.service_id.errors) + [_l("Choose a service.")]
        return _render_new(person, form, 400)
    step = _consent_step(person, form, service)
    if step is not None:
        return step
    try:
        referral = services.refer(current_user, person, service, form.to_data(),
                                  send=not form.keep_draft.data)
    except DomainError as exc:
        return _refuse_new(exc, person, form)
    db.session.commit()
    flash(_l("Referral saved as a draft.") if form.keep_draft.data
          else _l("Referral sent."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


def _default_service(person):
    """For a child, the first child-protection suggestion is preselected (the default path)."""
    if not person.is_minor:
        return ""
    first = next((s for s in matching.suggest(person, limit=50) if s.first and s.eligible), None)
    return str(first.service.id) if first else ""


def _chosen_service(raw):
    try:
        return db.session.get(Service, uuid.UUID(str(raw)))
    except (TypeError, ValueError):
        return None


def _refuse_new(exc, person, form):
    status = show_refusal(exc, form)
    person = load_person(person.id)
    service = _chosen_service(form.service_id.data)
    preview = None
    if service is not None and sensitive.per_referral(service):
        preview = _preview(person, service, sensitive.draft_packet(person, form.to_data()))
    return _render_new(person, form, status, preview=preview)


# --- the referral page ----------------------------------------------------------------------------
@bp.route("/<uuid:referral_id>")
@staff_view
def detail(referral_id):
    return render_detail(load_referral(referral_id))


def render_detail(referral, status=200, **forms):
    """The one place that renders the referral page: each response records one view entry."""
    record("referrals.viewed", actor=current_user, obj=referral,
           person=str(referral.person_id), side="case")
    commit_view()
    snapshot = referral.packet if referral.status != ReferralStatus.DRAFT else build_packet(
        referral, referral.person, current_profile(referral.person))
    shows = sensitive.shows_service(referral, current_user)
    context = {
        "referral": referral, "rows": packet_rows(snapshot) if shows else [],
        "shows_service": shows, "service_label": sensitive.service_label(referral, current_user),
        "consent_state": sensitive.consent_state(referral)
        if shows and sensitive.per_referral(referral.service) else None,
        "consent_form": ReferralConsentForm(prefix="rc"),
        "visible_to_provider": referral.status != ReferralStatus.DRAFT
        and packet_visible(referral),
        "can_manage": referral.can_manage(current_user),
        "send_form": SendForm(prefix="send"), "withdraw_form": WithdrawForm(prefix="wd"),
        "ack_form": AcknowledgeForm(prefix="ack"),
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    context["panels"] = values_from_signal(signals.referral_panels.send(
        referral, user=current_user, forms=forms))
    for name in ("send_form", "withdraw_form", "ack_form", "consent_form"):
        context[name].version.data = referral.version
    if context["consent_state"] is not None and referral.status == ReferralStatus.DRAFT:
        context["consent_form"].consent_fingerprint.data = sensitive.fingerprint(snapshot)
    return render_template("referrals/detail.html", **context), status


def _manageable(referral_id):
    referral = load_referral(referral_id)
    if not referral.can_manage(current_user):
        abort(403)
    return referral


def _refuse(exc, referral, form_name, form):
    """The page again with the message (a flash unless at a field: the form may be gone with
    the new status)."""
    status = show_refusal(exc, form, at_top=False)
    return render_detail(db.session.get(Referral, referral.id), status, **{form_name: form})


def _done(referral, message, endpoint="referrals.detail"):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, referral_id=referral.id))


@bp.route("/<uuid:referral_id>/send", methods=["POST"])
@permission_required("referrals.create")
def send(referral_id):
    referral = _manageable(referral_id)
    form = SendForm(prefix="send")
    if not form.validate_on_submit():
        return render_detail(referral, 400, send_form=form)
    try:
        services.send_referral(current_user, referral, version=form.version.data)
    except DomainError as exc:
        return _refuse(exc, referral, "send_form", form)
    return _done(referral, _l("Referral sent."))


@bp.route("/<uuid:referral_id>/consent", methods=["POST"])
@permission_required("referrals.create")
def consent(referral_id):
    """A GBV or MHPSS draft: the person's consent for its details, asked again."""
    referral = _manageable(referral_id)
    form = ReferralConsentForm(prefix="rc")
    if not form.validate_on_submit():
        return render_detail(referral, 400, consent_form=form)
    try:
        sensitive.ask_consent_again(current_user, referral, form.to_data(),
                                    version=form.version.data)
    except DomainError as exc:
        return _refuse(exc, referral, "consent_form", form)
    return _done(referral, _l("Consent recorded for this referral."))


@bp.route("/<uuid:referral_id>/withdraw", methods=["POST"])
@permission_required("referrals.create")
def withdraw(referral_id):
    referral = _manageable(referral_id)
    form = WithdrawForm(prefix="wd")
    if not form.validate_on_submit():
        return render_detail(referral, 400, withdraw_form=form)
    try:
        services.withdraw_referral(current_user, referral, form.note.data,
                                   version=form.version.data)
    except DomainError as exc:
        return _refuse(exc, referral, "withdraw_form", form)
    return _done(referral, _l("Referral withdrawn."))


@bp.route("/<uuid:referral_id>/acknowledge", methods=["POST"])
@permission_required("referrals.create")
def acknowledge(referral_id):
    referral = _manageable(referral_id)
    form = AcknowledgeForm(prefix="ack")
    if not form.validate_on_submit():
        return render_detail(referral, 400, ack_form=form)
    try:
        services.acknowledge_outcome(current_user, referral, form.next_step.data,
                                     version=form.version.data)
    except DomainError as exc:
        return _refuse(exc, referral, "ack_form", form)
    return _done(referral, _l("Outcome acknowledged."))


from icrs.referrals import notification_views, provider_views  # noqa: E402,F401  (routes)

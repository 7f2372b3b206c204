"""The provider portal: the organisation's inbox, the referral packet, and the provider's answers
(accept, decline, start/pause, outcome). Another organisation's referral is a 404."""
import sqlalchemy as sa
from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.pagination import page_arg, paginate
from icrs.core.views import show_refusal
from icrs.extensions import db
from icrs.referrals import queries, services
from icrs.referrals.forms import AcceptForm, DeclineForm, ListFilterForm, OutcomeForm, ProgressForm
from icrs.referrals.models import Referral
from icrs.referrals.packet import packet_rows, packet_visible
from icrs.referrals.states import PROVIDER, ReferralStatus, allowed_targets
from icrs.referrals.views import _done, bp

S = ReferralStatus
FORMS = {"accept_form": (AcceptForm, "acc"), "decline_form": (DeclineForm, "dec"),
         "progress_form": (ProgressForm, "prog"), "outcome_form": (OutcomeForm, "out")}


def load_received(referral_id) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None or not referral.is_for_provider(current_user):
        abort(404)
    return referral


@bp.route("/inbox")
@permission_required("referrals.inbox")
def inbox():
    form = ListFilterForm(request.args)
    args = form.data if form.validate() else {}
    base = queries.provider_scope(sa.select(Referral), current_user)
    stmt = queries.filtered(base, args.get("status"), args.get("overdue"))
    counts, overdue_count = queries.list_counts(base)
    page = paginate(stmt.options(selectinload(Referral.service), selectinload(Referral.person),
                                 selectinload(Referral.created_by)).order_by(
        Referral.status.in_([S.SENT]).desc(), Referral.accept_by, Referral.sent_at.desc(),
        Referral.id), page_arg(request.args), 25,
        total=sum(counts.values()) if stmt is base else None)
    people = _inbox_people(page.items)
    return render_template("referrals/inbox.html", form=form, page=page, people=people,
                           counts=counts, overdue_count=overdue_count)


INBOX_FIELDS = ("first_name", "age_band")


def _inbox_people(referrals) -> dict:
    """{referral id: (first name, age band)} from the packets that share them and are still
    visible; the page's one view entry names the referrals shown with them."""
    people = {}
    for referral in referrals:
        if not any(f in (referral.share or ()) for f in INBOX_FIELDS):
            continue
        if not packet_visible(referral):
            continue
        packet = referral.packet or {}
        shown = tuple(packet.get(f) or None for f in INBOX_FIELDS)
        if any(shown):
            people[referral.id] = shown
    if people:
        record("referrals.inbox_viewed", actor=current_user, object_type="organisation",
               object_id=current_user.organisation_id, referrals=[str(i) for i in people])
        commit_view()
    return people


@bp.route("/received/<uuid:referral_id>")
@permission_required("referrals.inbox")
def received(referral_id):
    return render_received(load_received(referral_id))


def render_received(referral, status=200, **given):
    """The one place that renders a received referral: each response records one view entry."""
    record("referrals.viewed", actor=current_user, obj=referral, side="provider",
           packet_shown=packet_visible(referral))
    commit_view()
    forms = {name: given.get(name) or cls(prefix=prefix) for name, (cls, prefix) in FORMS.items()}
    for form in forms.values():
        form.version.data = referral.version
    targets = allowed_targets(referral.status, PROVIDER)
    forms["progress_form"].target.choices = [
        (t.value, _progress_label(t)) for t in targets if t in (S.IN_SERVICE, S.ON_HOLD)]
    visible = packet_visible(referral)
    return render_template(
        "referrals/received.html", referral=referral, visible=visible,
        rows=packet_rows(referral.packet) if visible else [], targets=targets,
        can_respond=referral.can_respond(current_user), **forms), status


def _progress_label(target):
    return _l("Start or resume the service") if target == S.IN_SERVICE else _l("Put on hold")


def _answer(referral_id, form_name, target_of, success):
    referral = load_received(referral_id)
    cls, prefix = FORMS[form_name]
    form = cls(prefix=prefix)
    if form_name == "progress_form":
        form.target.choices = [(t.value, t.value) for t in (S.IN_SERVICE, S.ON_HOLD)]
    if not form.validate_on_submit():
        return render_received(referral, 400, **{form_name: form})
    data = {k: getattr(form, k).data for k in ("reason", "outcome", "note") if hasattr(form, k)}
    try:
        services.respond(current_user, referral, target_of(form), version=form.version.data,
                         **data)
    except DomainError as exc:
        return _refuse(exc, referral, form_name, form)
    return _done(referral, success, "referrals.received")


def _refuse(exc, referral, form_name, form):
    status = show_refusal(exc, form, at_top=False)  # the form may be gone with the new status
    return render_received(db.session.get(Referral, referral.id), status, **{form_name: form})


@bp.route("/received/<uuid:referral_id>/accept", methods=["POST"])
@permission_required("referrals.respond")
def accept(referral_id):
    return _answer(referral_id, "accept_form", lambda f: S.ACCEPTED, _l("Referral accepted."))


@bp.route("/received/<uuid:referral_id>/decline", methods=["POST"])
@permission_required("referrals.respond")
def decline(referral_id):
    return _answer(referral_id, "decline_form", lambda f: S.DECLINED, _l("Referral declined."))


@bp.route("/received/<uuid:referral_id>/progress", methods=["POST"])
@permission_required("referrals.respond")
def progress(referral_id):
    return _answer(referral_id, "progress_form", lambda f: S(f.target.data),
                   _l("Status updated."))


@bp.route("/received/<uuid:referral_id>/outcome", methods=["POST"])
@permission_required("referrals.respond")
def outcome(referral_id):
    return _answer(referral_id, "outcome_form", lambda f: S(f.target.data),
                   _l("Outcome recorded. The caseworker is told."))

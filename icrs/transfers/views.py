"""Transfer pages: the worklist, asking for a transfer of a case, one transfer (the receiving
side decides there; the old site sees its stub), and the duplicate contact requests."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.auth.models import User
from icrs.core.errors import ConflictError, DomainError
from icrs.core.models import place_choices
from icrs.core.pagination import page_arg, paginate
from icrs.core.views import show_refusal
from icrs.extensions import db
from icrs.people.models import Person
from icrs.transfers import contact as contact_service
from icrs.transfers import queries, rules, services
from icrs.transfers.forms import AcceptForm, ContactForm, RejectForm, RequestForm, WithdrawForm
from icrs.transfers.models import CaseTransfer

bp = Blueprint("transfers", __name__, url_prefix="/transfers")
PAGE = 25


@bp.route("/")
@permission_required("transfers.view")
def index():
    waiting = None
    if current_user.can("transfers.decide"):
        waiting = db.session.scalars(queries.incoming(current_user).limit(100)).all()
    seen = paginate(queries.visible(current_user), page_arg(request.args), PAGE)
    return render_template("transfers/index.html", waiting=waiting, seen=seen)


# --- asking -----------------------------------------------------------------------------------
def _person(person_id) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or not person.can_view(current_user):
        abort(404)
    if not rules.may_request(current_user, person):
        abort(403)
    return person


def _request_form(person, form=None):
    form = form or RequestForm()
    form.to_site_id.choices = place_choices(rules.destinations(current_user, person),
                                            empty=True)
    return form


@bp.route("/new/<uuid:person_id>", methods=["GET", "POST"])
@permission_required("transfers.request")
def new(person_id):
    person = _person(person_id)
    form = _request_form(person)
    pending = services.open_transfer(person)
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("transfers/new.html", person=person, form=form,
                               pending=pending), status
    try:
        transfer = services.request_transfer(current_user, person,
                                             rules.site(_int(form.to_site_id.data)),
                                             form.reason.data)
    except DomainError as exc:
        status = show_refusal(exc, form)
        person = db.session.get(Person, person_id)
        return render_template("transfers/new.html", person=person,
                               form=_request_form(person, form),
                               pending=services.open_transfer(person)), status
    db.session.commit()
    flash(_l("Transfer requested: the receiving site's supervisors are told."), "success")
    return redirect(url_for("transfers.detail", transfer_id=transfer.id))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- one transfer -----------------------------------------------------------------------------
def _load(transfer_id) -> CaseTransfer:
    transfer = db.session.get(CaseTransfer, transfer_id)
    if transfer is None or not rules.may_see(current_user, transfer):
        abort(404)
    return transfer


def _page(transfer, status=200, accept_form=None, reject_form=None):
    version = str(transfer.version)
    may_decide = transfer.is_open and rules.may_decide(current_user, transfer)
    accept_form = accept_form or AcceptForm(row_version=version)
    accept_form.caseworker_id.choices = [("", "—")] + [
        (str(u.id), u.full_name or u.username) for u in rules.caseworkers_of(transfer.to_site)
    ] if may_decide else []
    return render_template(
        "transfers/detail.html", transfer=transfer, may_decide=may_decide,
        may_read_reason=rules.may_read_reason(current_user, transfer),
        may_withdraw=transfer.is_open and rules.is_sender(current_user, transfer),
        opens_case=transfer.person.can_view(current_user),
        accept_form=accept_form, reject_form=reject_form or RejectForm(row_version=version),
        withdraw_form=WithdrawForm(row_version=version)), status


@bp.route("/<uuid:transfer_id>")
@permission_required("transfers.view")
def detail(transfer_id):
    transfer = _load(transfer_id)
    if rules.may_read_reason(current_user, transfer):
        record("transfers.viewed", actor=current_user, obj=transfer)  # shows the reason
        commit_view()
    return _page(transfer)


@bp.route("/<uuid:transfer_id>/accept", methods=["POST"])
@permission_required("transfers.decide")
def accept(transfer_id):
    transfer = _load(transfer_id)
    form = AcceptForm()
    form.caseworker_id.choices = []
    if not form.validate_on_submit():
        return _page(transfer, 400, accept_form=form)
    caseworker = db.session.get(User, _int(form.caseworker_id.data) or 0)
    try:
        services.accept(current_user, transfer, caseworker, form.comment.data,
                        version=form.row_version.data or None)
    except DomainError as exc:
        status = show_refusal(exc, _shown_at(exc, form))
        return _page(_load(transfer_id), status, accept_form=form)
    db.session.commit()
    flash(_l("Transfer accepted: the case is now at your site."), "success")
    return redirect(url_for("people.detail", person_id=transfer.person_id))


def _shown_at(exc, form):
    """A conflict (the transfer closed meanwhile) is flashed: its forms are no longer shown."""
    return None if isinstance(exc, ConflictError) else form


@bp.route("/<uuid:transfer_id>/reject", methods=["POST"])
@permission_required("transfers.decide")
def reject(transfer_id):
    transfer = _load(transfer_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _page(transfer, 400, reject_form=form)
    try:
        services.reject(current_user, transfer, form.comment.data,
                        version=form.row_version.data or None)
    except DomainError as exc:
        status = show_refusal(exc, _shown_at(exc, form))
        return _page(_load(transfer_id), status, reject_form=form)
    db.session.commit()
    flash(_l("Transfer rejected: the requester is told."), "success")
    return redirect(url_for("transfers.index"))


@bp.route("/<uuid:transfer_id>/withdraw", methods=["POST"])
@permission_required("transfers.request")
def withdraw(transfer_id):
    transfer = _load(transfer_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _page(transfer, 400)
    try:
        services.withdraw(current_user, transfer, version=form.row_version.data or None)
    except DomainError as exc:
        status = show_refusal(exc, at_top=False)
        return _page(_load(transfer_id), status)
    db.session.commit()
    flash(_l("Transfer withdrawn."), "success")
    return redirect(url_for("transfers.index"))


# --- contact requests about a possible duplicate ------------------------------------------------
@bp.route("/contact/<token>", methods=["GET", "POST"])
@permission_required("transfers.contact")
def contact(token):
    if contact_service.matched_person(current_user, token) is None:
        abort(404)
    form = ContactForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("transfers/contact.html", form=form, token=token), status
    try:
        contact_service.send_contact(current_user, token, form.message.data)
    except DomainError as exc:
        status = show_refusal(exc, form)
        return render_template("transfers/contact.html", form=form, token=token), status
    db.session.commit()
    flash(_l("Your message was sent to the caseworker of the possible duplicate."), "success")
    return redirect(url_for("transfers.contact_sent"))


@bp.route("/contact/sent")
@permission_required("transfers.contact")
def contact_sent():
    return render_template("transfers/contact_sent.html")


@bp.route("/contacts")
@permission_required("transfers.view")
def contacts():
    page = paginate(queries.contacts(current_user), page_arg(request.args), PAGE)
    if page.items:  # the messages may say anything about the person
        record("transfers.contacts_viewed", actor=current_user, object_type="duplicate_contact",
               count=len(page.items))
        commit_view()
    return render_template("transfers/contacts.html", page=page)


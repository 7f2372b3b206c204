"""Approval pages: the worklist ("waiting for me" and "my requests"), one request, decisions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.approvals import kinds, queries, services
from icrs.approvals.forms import CancelForm, DecisionForm
from icrs.approvals.models import ApprovalRequest
from icrs.audit.services import commit_view, record
from icrs.auth.access import permission_required
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.pagination import page_arg, paginate
from icrs.extensions import db

bp = Blueprint("approvals", __name__, url_prefix="/approvals")
MINE = 25  # the user's latest requests


@bp.route("/")
@permission_required("approvals.view")
def index():
    waiting = None
    if current_user.can("approvals.decide"):
        waiting = paginate(queries.waiting_for(current_user), page_arg(request.args), 25)
        waiting.items = [queries.row(r, current_user) for r in waiting.items]
    mine = [queries.row(r, current_user) for r in
            db.session.scalars(queries.requested_by(current_user).limit(MINE))]
    return render_template("approvals/index.html", waiting=waiting, mine=mine,
                           overdue_days=queries.overdue_days())


def _load(request_id) -> ApprovalRequest:
    req = db.session.get(ApprovalRequest, request_id)
    if req is None or req.kind not in kinds.KINDS or not queries.can_see(req, current_user):
        abort(404)
    return req


def _page(req, status=200, form=None):
    kind = kinds.get(req.kind)
    subject = kind.load(req.subject_id)
    may_decide = req.is_open and req.requested_by_id != current_user.id and \
        subject is not None and kind.can_approve(current_user, subject)
    link = kind.subject_url(subject, current_user) if kind.subject_url and subject else None
    panel = kind.panel(subject, current_user) if kind.panel and subject is not None else None
    return render_template(
        "approvals/detail.html", req=req, row=queries.row(req, current_user), link=link,
        panel=panel,
        may_decide=may_decide, may_cancel=req.is_open and req.requested_by_id == current_user.id,
        form=form or DecisionForm(row_version=str(req.version)),
        cancel_form=CancelForm(row_version=str(req.version))), status


@bp.route("/<uuid:request_id>")
@permission_required("approvals.view")
def detail(request_id):
    req = _load(request_id)
    record("approvals.viewed", actor=current_user, obj=req, kind=req.kind)  # shows the reason
    commit_view()
    return _page(req)


@bp.route("/<uuid:request_id>/approve", methods=["POST"])
@permission_required("approvals.decide")
def approve(request_id):
    return _decide(request_id, services.approve, _l("Request approved."))


@bp.route("/<uuid:request_id>/reject", methods=["POST"])
@permission_required("approvals.decide")
def reject(request_id):
    return _decide(request_id, services.reject, _l("Request rejected."))


def _decide(request_id, action, done):
    req = _load(request_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _page(req, 400, form)
    try:
        action(current_user, req, form.comment.data, version=form.row_version.data or None)
    except DomainError as exc:
        return _refused(exc, request_id, form)
    db.session.commit()
    flash(done, "success")
    return redirect(_back(req, form.back.data))


def _back(req, back):
    """To the case page when decided there (and still open to the user), else the worklist."""
    kind = kinds.get(req.kind)
    subject = kind.load(req.subject_id) if back == "case" and kind.subject_url else None
    return (subject is not None and kind.subject_url(subject, current_user)) \
        or url_for("approvals.index")


@bp.route("/<uuid:request_id>/cancel", methods=["POST"])
@permission_required("approvals.view")
def cancel(request_id):
    req = _load(request_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _page(req, 400)
    try:
        services.cancel(current_user, req, version=form.row_version.data or None)
    except DomainError as exc:
        return _refused(exc, request_id)
    db.session.commit()
    flash(_l("Request cancelled."), "success")
    return redirect(url_for("approvals.index"))


def _refused(exc, request_id, form=None):
    """Nothing saved; 403 for a refusal of the actor, else the page again with the message."""
    db.session.rollback()
    if isinstance(exc, AccessDenied):
        abort(403)
    req = _load(request_id)
    if form is not None and exc.field and hasattr(form, exc.field):
        getattr(form, exc.field).errors = [exc.message]
    else:
        flash(exc.message, "danger")
    return _page(req, 409 if exc.__class__.__name__ == "ConflictError" else 400, form)

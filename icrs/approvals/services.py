"""Request, approve, reject, cancel. The four-eyes rule is checked in states.check (the
approver is never the requester) and backed by a CHECK constraint. Flush, never commit."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from icrs.approvals import kinds
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus, IllegalTransition, check
from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db

MAX_TEXT = 2000
S = ApprovalStatus


def _text(value, field, required):
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_l("Say why."), field)
    if len(value) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), field)
    return value or None


def open_key(kind, subject_id) -> str:
    return f"{kind.code}:{kind.subject_type}:{subject_id}"


def open_request(kind_code, subject_id):
    kind = kinds.get(kind_code)
    return db.session.scalar(sa.select(ApprovalRequest).where(
        ApprovalRequest.open_key == open_key(kind, subject_id)))


def request_approval(actor, kind_code, subject, person_id, reason) -> ApprovalRequest:
    """Ask for a second person's approval of `kind_code` on `subject` (whose data, if any,
    belongs to `person_id`: the reason is encrypted under that person's key)."""
    kind = kinds.get(kind_code)
    if not kind.can_request(actor, subject):
        raise AccessDenied(_l("You may not ask for this."))
    reason = _text(reason, "reason", required=True)
    if open_request(kind_code, subject.id) is not None:
        raise ConflictError(_l("A request is already waiting for approval."), "reason")
    req = ApprovalRequest(kind=kind.code, subject_type=kind.subject_type,
                          subject_id=str(subject.id), person_id=person_id,
                          requested_by_id=actor.id, requested_at=utcnow(),
                          open_key=open_key(kind, subject.id))
    db.session.add(req)
    req.reason = reason
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # someone asked at the same moment
        raise ConflictError(_l("A request is already waiting for approval."), "reason") from exc
    record("approvals.requested", actor=actor, obj=req, kind=kind.code,
           subject_type=kind.subject_type, subject_id=req.subject_id)
    _notify_approvers(kind, subject, actor, req)
    return req


def _notify_approvers(kind, subject, actor, req):
    if kind.approvers is None:
        return
    from icrs.approvals.notify import notify_approvers
    notify_approvers([u for u in kind.approvers(subject) if u.id != actor.id], req)


def approve(actor, req, comment=None, version=None):
    return _decide(actor, req, S.APPROVED, _text(comment, "comment", required=False), version)


def reject(actor, req, comment, version=None):
    return _decide(actor, req, S.REJECTED, _text(comment, "comment", required=True), version)


def cancel(actor, req, version=None):
    return _decide(actor, req, S.CANCELLED, None, version)


def _decide(actor, req, target, comment, version):
    kind = kinds.get(req.kind)
    subject = kind.load(req.subject_id)
    if version is not None and str(version) != str(req.version):
        raise ConflictError(_l("Someone else decided this request in the meantime."))
    try:
        check(req.status, target, is_requester=actor.id == req.requested_by_id)
    except IllegalTransition as exc:
        raise ConflictError(exc.message) from exc
    if target != S.CANCELLED and (subject is None or not kind.can_approve(actor, subject)):
        raise AccessDenied(_l("You may not decide this request."))
    req.status, req.decided_by_id, req.decided_at, req.open_key = \
        target, actor.id, utcnow(), None
    if comment:
        req.comment = comment
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise ConflictError(_l("Someone else decided this request in the meantime.")) from exc
    record(f"approvals.{target.value}", actor=actor, obj=req, kind=req.kind,
           subject_type=req.subject_type, subject_id=req.subject_id)
    if target == S.APPROVED:
        kind.on_approved(req, subject, actor)
    elif kind.on_closed is not None and subject is not None:
        kind.on_closed(req, subject, actor)
    if target != S.CANCELLED:
        from icrs.approvals.notify import notify_requester
        notify_requester(req)
    db.session.flush()
    return req


def withdraw_open(actor, kind_code, subject_id):
    """Close the open request on a subject that no longer exists as such (its person was
    erased): cancelled by the system on the actor's behalf, whoever asked. Flushes."""
    req = open_request(kind_code, subject_id)
    if req is None:
        return None
    req.status, req.decided_by_id, req.decided_at, req.open_key = \
        S.CANCELLED, actor.id if actor else None, utcnow(), None
    db.session.flush()
    record("approvals.cancelled", actor=actor, obj=req, kind=req.kind,
           subject_type=req.subject_type, subject_id=req.subject_id, withdrawn=True)
    return req

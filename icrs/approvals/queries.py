"""Worklists: the open requests a user may decide ("waiting for me") and the user's own."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from icrs.approvals import kinds
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus


def waiting_for(user):
    """Open requests the user may decide: never their own."""
    return (sa.select(ApprovalRequest)
            .where(ApprovalRequest.status == ApprovalStatus.REQUESTED,
                   ApprovalRequest.requested_by_id != user.id, kinds.decidable_clause(user))
            .options(selectinload(ApprovalRequest.requested_by))
            .order_by(ApprovalRequest.requested_at, ApprovalRequest.id))


def requested_by(user):
    return (sa.select(ApprovalRequest).where(ApprovalRequest.requested_by_id == user.id)
            .options(selectinload(ApprovalRequest.decided_by))
            .order_by(ApprovalRequest.requested_at.desc(), ApprovalRequest.id))


def row(req, user):
    """What a list shows of a request: kind, subject label, people, dates. No reason."""
    kind = kinds.KINDS.get(req.kind)
    subject = kind.load(req.subject_id) if kind else None
    return {"req": req, "kind": kind.label if kind else req.kind,
            "subject": kind.subject_label(subject) if subject is not None else "—"}


def can_see(req, user) -> bool:
    """The requester, and whoever may decide it (404 for anybody else)."""
    if user.id in (req.requested_by_id, req.decided_by_id):
        return True
    kind = kinds.KINDS.get(req.kind)
    subject = kind.load(req.subject_id) if kind else None
    return subject is not None and kind.can_approve(user, subject)

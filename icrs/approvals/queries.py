"""Worklists: the open requests a user may decide ("waiting for me") and the user's own."""
import datetime as dt

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from icrs.approvals import kinds
from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.core.timeutil import utcnow
from icrs.extensions import db


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


def waiting_count(user) -> int:
    """How many requests wait for the user's decision (the navigation's badge)."""
    if user is None or not getattr(user, "is_authenticated", False) \
            or not user.can("approvals.decide"):
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        waiting_for(user).order_by(None).subquery())) or 0


def for_person(person_id):
    """A case's requests, open ones first, then the latest decisions."""
    return (sa.select(ApprovalRequest).where(ApprovalRequest.person_id == person_id)
            .options(selectinload(ApprovalRequest.requested_by),
                     selectinload(ApprovalRequest.decided_by))
            .order_by(ApprovalRequest.status != ApprovalStatus.REQUESTED,
                      ApprovalRequest.requested_at.desc(), ApprovalRequest.id))


def overdue_days() -> int:
    return int(current_app.config["ICRS_APPROVAL_OVERDUE_DAYS"])


def age_days(req, now=None) -> int:
    """Whole days the request has waited (or waited until its decision)."""
    end = req.decided_at or now or utcnow()
    return max((end - req.requested_at).days, 0)


def row(req, user, now=None):
    """What a list shows of a request: kind, subject label, people, dates, its age in days and
    whether it is overdue (open longer than ICRS_APPROVAL_OVERDUE_DAYS). No reason."""
    kind = kinds.KINDS.get(req.kind)
    subject = kind.load(req.subject_id) if kind else None
    now = now or utcnow()
    overdue = req.is_open and now - req.requested_at > dt.timedelta(days=overdue_days())
    return {"req": req, "kind": kind.label if kind else req.kind,
            "subject": kind.subject_label(subject) if subject is not None else "—",
            "age": age_days(req, now), "overdue": overdue}


def can_see(req, user) -> bool:
    """The requester, and whoever may decide it (404 for anybody else)."""
    if user.id in (req.requested_by_id, req.decided_by_id):
        return True
    kind = kinds.KINDS.get(req.kind)
    subject = kind.load(req.subject_id) if kind else None
    return subject is not None and kind.can_approve(user, subject)


def for_case(person_id, user):
    """A case's requests as its page shows them: the open ones (may the user decide or cancel
    them?) and the latest decision of each kind. The reason and the comment only to those who
    may see the request (`may_see`)."""
    pending, decided, seen = [], [], set()
    for req in db.session.scalars(for_person(person_id)):
        kind = kinds.KINDS.get(req.kind)
        if kind is None or (not req.is_open and (req.kind in seen or req.status not in DECIDED)):
            continue
        subject = kind.load(req.subject_id)
        item = {"req": req, "kind": kind.label, "may_see": can_see(req, user),
                "age": age_days(req)}
        if req.is_open:
            mine = req.requested_by_id == user.id
            item.update(may_cancel=mine, may_decide=not mine and subject is not None
                        and kind.can_approve(user, subject))
            pending.append(item)
        else:
            seen.add(req.kind)
            decided.append(item)
    return {"pending": pending, "decided": decided}


DECIDED = (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED)


"""What can be approved: each kind (erasure, and later plan, exit, reintegration, reopening…) is
registered by the domain that owns its subject, saying who may ask, who may decide, which open
requests a user may decide (as SQL, for the worklist) and what happens on approval. Approvals
never import those domains: they answer through this registry."""
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

KINDS: dict[str, "ApprovalKind"] = {}


@dataclass(frozen=True)
class ApprovalKind:
    code: str                                   # e.g. "person.erasure"
    label: object                               # lazy-translated name of the act
    subject_type: str                           # e.g. "person"
    load: Callable                              # subject_id (str) -> subject or None
    can_request: Callable                       # (user, subject) -> bool
    can_approve: Callable                       # (user, subject) -> bool; never the requester
    decidable_by: Callable                      # user -> SQL condition on ApprovalRequest
    on_approved: Callable                       # (request, subject, actor) -> None, flushes
    subject_label: Callable = str               # subject -> what lists show (no personal data)
    subject_url: Callable | None = None         # (subject, user) -> URL or None
    approvers: Callable | None = None           # subject -> users to notify
    on_closed: Callable | None = None           # (request, subject, actor) on reject/cancel
    panel: Callable | None = None               # (subject, user) -> HTML the decider reads


def register(kind: ApprovalKind) -> ApprovalKind:
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> ApprovalKind:
    return KINDS[code]


def decidable_clause(user):
    """Open requests of any kind that `user` may decide (the requester is excluded apart)."""
    from icrs.approvals.models import ApprovalRequest

    clauses = [sa.and_(ApprovalRequest.kind == k.code, k.decidable_by(user))
               for k in KINDS.values()]
    return sa.or_(*clauses) if clauses else sa.false()

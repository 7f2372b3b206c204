"""The approval request lifecycle. Pure Python: no Flask request, no database.

requested -> approved | rejected   (by an approver, never the requester)
requested -> cancelled             (by the requester)
Approved, rejected and cancelled are final: a new request starts again.
"""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum, with_labels

APPROVER, REQUESTER = "approver", "requester"


class ApprovalStatus(LabelledEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


with_labels(ApprovalStatus, {
    "requested": _l("Waiting for approval"), "approved": _l("Approved"),
    "rejected": _l("Rejected"), "cancelled": _l("Cancelled"),
})

S = ApprovalStatus
# (from, to) -> who may make the move
TRANSITIONS = {
    (S.REQUESTED, S.APPROVED): APPROVER,
    (S.REQUESTED, S.REJECTED): APPROVER,
    (S.REQUESTED, S.CANCELLED): REQUESTER,
}
FINAL = frozenset({S.APPROVED, S.REJECTED, S.CANCELLED})


class IllegalTransition(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check(current, target, is_requester: bool) -> None:
    """Raise IllegalTransition unless the actor (the requester or not) may move current->target.
    The four-eyes rule lives here: whoever asked never decides."""
    who = TRANSITIONS.get((current, target))
    if who is None:
        raise IllegalTransition(_l("This request is already closed.") if current in FINAL
                                else _l("This change is not possible."))
    if who == APPROVER and is_requester:
        raise IllegalTransition(_l("You asked for this: another person must decide."))
    if who == REQUESTER and not is_requester:
        raise IllegalTransition(_l("Only the person who asked can cancel this request."))

"""The transfer request lifecycle. Pure Python: no Flask request, no database.

requested -> accepted | rejected   (by the receiving side's supervisor, never the requester)
requested -> withdrawn             (by the requester, or the sending side's supervisor)
Accepted, rejected and withdrawn are final: a new request starts again.
"""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum, with_labels
from icrs.core.errors import IllegalTransition

RECEIVER, SENDER = "receiver", "sender"


class TransferStatus(LabelledEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


with_labels(TransferStatus, {
    "requested": _l("Waiting for the receiving site"), "accepted": _l("Accepted"),
    "rejected": _l("Rejected"), "withdrawn": _l("Withdrawn"),
})

S = TransferStatus
# (from, to) -> which side may make the move
TRANSITIONS = {
    (S.REQUESTED, S.ACCEPTED): RECEIVER,
    (S.REQUESTED, S.REJECTED): RECEIVER,
    (S.REQUESTED, S.WITHDRAWN): SENDER,
}
FINAL = frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN})


def check(current, target, side: str) -> None:
    """Raise IllegalTransition unless `side` (RECEIVER or SENDER) may move current -> target."""
    who = TRANSITIONS.get((current, target))
    if who is None:
        raise IllegalTransition(_l("This transfer is already closed.") if current in FINAL
                                else _l("This change is not possible."))
    if who != side:
        raise IllegalTransition(_l("Only the receiving site can accept or reject a transfer.")
                                if who == RECEIVER else
                                _l("Only the sending side can withdraw a transfer."))

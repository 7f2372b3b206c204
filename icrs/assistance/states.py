"""The entitlement lifecycle. Pure Python: no Flask request, no database.

proposed -> requested            (the caseworker asks for approval; again after a cancellation)
requested -> approved | rejected (a supervisor, through icrs.approvals)
requested -> proposed            (the request was cancelled by its requester)
rejected -> requested            (resubmitted, possibly with a new amount and justification)
approved <-> disbursed           (the ledger reaches the approved amount; a reversal goes back)
proposed, requested, rejected -> cancelled   (the case was erased)
"""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum
from icrs.core.errors import IllegalTransition


class EntitlementStatus(LabelledEnum):
    PROPOSED = "proposed", _l("Proposed")
    REQUESTED = "requested", _l("Waiting for approval")
    APPROVED = "approved", _l("Approved")
    REJECTED = "rejected", _l("Rejected")
    DISBURSED = "disbursed", _l("Fully disbursed")
    CANCELLED = "cancelled", _l("Cancelled")


S = EntitlementStatus
TRANSITIONS = frozenset({
    (S.PROPOSED, S.REQUESTED), (S.REQUESTED, S.APPROVED), (S.REQUESTED, S.REJECTED),
    (S.REQUESTED, S.PROPOSED), (S.REJECTED, S.REQUESTED), (S.APPROVED, S.DISBURSED),
    (S.DISBURSED, S.APPROVED), (S.PROPOSED, S.CANCELLED), (S.REQUESTED, S.CANCELLED),
    (S.REJECTED, S.CANCELLED),
})
# What counts against the caps: granted, or on its way to be (a second request for the same
# thing while the first waits would otherwise pass the check twice).
COMMITTED = frozenset({S.APPROVED, S.DISBURSED})
PENDING_OR_COMMITTED = COMMITTED | {S.REQUESTED}
DISBURSABLE = frozenset({S.APPROVED})


def check(current, target) -> None:
    if (current, target) not in TRANSITIONS:
        raise IllegalTransition(_l("This change is not possible for an assistance in the "
                                   "state “%(state)s”.", state=current.label))

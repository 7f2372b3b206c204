"""The entitlement lifecycle. Pure Python: no Flask request, no database.

proposed -> requested            (the caseworker asks for approval; again after a cancellation)
requested -> approved | rejected (a supervisor, through icrs.approvals)
requested -> proposed            (the request was cancelled by its requester)
rejected -> requested            (resubmitted, possibly with a new amount and justification)
approved -> partly disbursed | disbursed       (the ledger: some, or all, of the amount given)
partly disbursed -> disbursed | approved       (the rest given; a reversal back to nothing)
disbursed -> partly disbursed | approved       (a reversal)
disbursed -> verified            (fully disbursed and a spot-check of one of its standing
                                  handovers confirmed receipt, with no discrepancy)
verified -> partly disbursed | approved        (a reversal: verified again once full)
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
    PARTLY_DISBURSED = "partly_disbursed", _l("Partly disbursed")
    DISBURSED = "disbursed", _l("Fully disbursed")
    VERIFIED = "verified", _l("Verified by a spot-check")
    CANCELLED = "cancelled", _l("Cancelled")


S = EntitlementStatus
TRANSITIONS = frozenset({
    (S.PROPOSED, S.REQUESTED), (S.REQUESTED, S.APPROVED), (S.REQUESTED, S.REJECTED),
    (S.REQUESTED, S.PROPOSED), (S.REJECTED, S.REQUESTED),
    (S.APPROVED, S.PARTLY_DISBURSED), (S.APPROVED, S.DISBURSED),
    (S.PARTLY_DISBURSED, S.DISBURSED), (S.PARTLY_DISBURSED, S.APPROVED),
    (S.DISBURSED, S.PARTLY_DISBURSED), (S.DISBURSED, S.APPROVED), (S.DISBURSED, S.VERIFIED),
    (S.VERIFIED, S.PARTLY_DISBURSED), (S.VERIFIED, S.APPROVED),
    (S.PROPOSED, S.CANCELLED), (S.REQUESTED, S.CANCELLED), (S.REJECTED, S.CANCELLED),
})
# What counts against the caps: granted, or on its way to be (a second request for the same
# thing while the first waits would otherwise pass the check twice).
COMMITTED = frozenset({S.APPROVED, S.PARTLY_DISBURSED, S.DISBURSED, S.VERIFIED})
PENDING_OR_COMMITTED = COMMITTED | {S.REQUESTED}
DISBURSABLE = frozenset({S.APPROVED, S.PARTLY_DISBURSED})
FULLY_DISBURSED = frozenset({S.DISBURSED, S.VERIFIED})


def check(current, target) -> None:
    if (current, target) not in TRANSITIONS:
        raise IllegalTransition(_l("This change is not possible for an assistance in the "
                                   "state “%(state)s”.", state=current.label))


def after_ledger(current, disbursed: int, amount: int, confirmed: bool):
    """The state the ledger's running total puts a granted entitlement in (`confirmed`: a
    spot-check of a standing handover confirmed receipt)."""
    if disbursed == 0:
        return S.APPROVED
    if disbursed < amount:
        return S.PARTLY_DISBURSED
    return S.VERIFIED if confirmed else S.DISBURSED

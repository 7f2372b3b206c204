"""In-app notifications of transfers and contact requests (no e-mail). Like the approvals'
(icrs/approvals/notify.py) they carry no personal data: their kind and the case, named by its
number; the reason and the message stay encrypted on the row, shown on its page."""
REQUESTED, ASSIGNED = "transfer_requested", "transfer_assigned"
DECIDED = {"accepted": "transfer_accepted", "rejected": "transfer_rejected"}
CONTACT = "contact_request"


def _notify(users, kind, person_id, key):
    from icrs.referrals.notifications import notify

    notify(users, kind, email=False, person_id=person_id, dedup_key=key)


def requested(transfer, actor):
    from icrs.transfers.rules import receivers

    _notify([u for u in receivers(transfer) if u.id != actor.id], REQUESTED,
            transfer.person_id, f"tr:{transfer.id.hex}")


def decided(transfer, caseworker=None):
    """Back to the requester (unless they decided it); on acceptance, to the new caseworker."""
    if transfer.decided_by_id != transfer.requested_by_id:
        _notify([transfer.requested_by], DECIDED[transfer.status.value], transfer.person_id,
                f"tr-decided:{transfer.id.hex}")
    if caseworker is not None and caseworker.id != transfer.decided_by_id:
        _notify([caseworker], ASSIGNED, transfer.person_id,
                f"tr-assigned:{transfer.id.hex}")


def contact(request, owners):
    _notify([u for u in owners if u.id != request.requested_by_id], CONTACT, request.person_id,
            f"contact:{request.id.hex}")

"""In-app notifications of the approvals (no e-mail: the in-app list is enough). A notification
carries no personal data: its kind and the case it is about, which its message names by case
number. The reason and the decision's comment stay encrypted on the request, shown to those who
may see it (the request's page, the case page). Each is sent once: its dedup key names the request
and the step, and (user, dedup key) is unique."""
KIND = "approval_requested"
DECIDED = {"approved": "approval_approved", "rejected": "approval_rejected"}


def notify_approvers(users, req):
    from icrs.referrals.notifications import notify

    notify(users, KIND, email=False, person_id=req.person_id,
           dedup_key=f"approval:{req.id.hex}")


def notify_requester(req):
    """The decision (approved or rejected), to the person who asked, unless they decided it."""
    from icrs.referrals.notifications import notify

    kind = DECIDED.get(req.status.value)
    if kind is None or req.decided_by_id == req.requested_by_id:
        return
    notify([req.requested_by], kind, email=False, person_id=req.person_id,
           dedup_key=f"decision:{req.id.hex}")

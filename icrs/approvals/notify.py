"""Tell the approvers in-app that a request waits for them (no e-mail: the in-app list is enough,
and a notification carries no personal data, only its kind)."""
KIND = "approval_requested"


def notify_approvers(users):
    from icrs.referrals.notifications import notify

    notify(users, KIND, email=False)

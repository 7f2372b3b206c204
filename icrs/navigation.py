"""The navigation bar: each entry names an endpoint, and shows when the user may open it, by the
same check the view makes (its permission decorator records it on the view)."""
from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

ENTRIES = [
    ("people.index", _l("People")),
    ("people.followups", _l("Follow-ups")),
    ("groups.index", _l("Groups")),
    ("referrals.inbox", _l("Referrals received")),
    ("referrals.index", _l("Referrals")),
    ("directory.index", _l("Services")),
    ("dashboard.index", _l("Dashboard")),
    ("approvals.index", _l("Approvals")),
    ("transfers.index", _l("Transfers")),
    ("feedback.index", _l("Feedback")),
    ("admin.users", _l("Users")),
    ("partner_tokens.index", _l("Partner tokens")),
    ("people.import_upload", _l("Import people")),
    ("places.index", _l("Places")),
    ("lookups.index", _l("Lists")),
    ("assistance.catalogue_index", _l("Assistance")),
    ("assistance.verification_index", _l("Verification")),
    ("consent_texts.index", _l("Consent texts")),
    ("questionnaires.index", _l("Questionnaires")),
    ("people.erasure_candidates", _l("Retention")),
    ("audit.index", _l("Audit log")),
]


def may_open(endpoint, user) -> bool:
    """The view's own check: `allows(user)` when it records one, else its permission."""
    view = current_app.view_functions.get(endpoint)
    if view is None or not user.is_authenticated:
        return False
    allows = getattr(view, "allows", None)
    if allows is not None:
        return allows(user)
    permission = getattr(view, "permission", None)
    return permission is None or user.can(permission)


def _approvals_waiting(user):
    from icrs.approvals.queries import waiting_count
    return waiting_count(user)


def _transfers_waiting(user):
    from icrs.transfers.queries import waiting_count
    return waiting_count(user)


def _spot_checks_waiting(user):
    from icrs.assistance.verification import waiting_count
    return waiting_count(user)


# entry -> how many items wait there for the user (a badge on the entry when not 0)
BADGES = {"approvals.index": _approvals_waiting, "transfers.index": _transfers_waiting,
          "assistance.verification_index": _spot_checks_waiting}


def navigation():
    if not current_user.is_authenticated:
        return []
    section = (request.endpoint or "").split(".")[0]
    return [{"url": url_for(endpoint), "label": label,
             "active": section == endpoint.split(".")[0],
             "count": BADGES[endpoint](current_user) if endpoint in BADGES else 0}
            for endpoint, label in ENTRIES if may_open(endpoint, current_user)]


def notifications_link():
    """The bell in the top bar: the notifications page and the unread count, when the
    referrals domain is installed."""
    if (not current_user.is_authenticated
            or "referrals.notifications" not in current_app.view_functions):
        return None
    from icrs.referrals.notifications import unread_count
    return {"url": url_for("referrals.notifications"), "unread": unread_count(current_user)}

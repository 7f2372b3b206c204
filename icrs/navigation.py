"""The navigation bar per role: entries appear only when the user may use them."""
from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

ENTRIES = [
    ("people.index", _l("People"), "people.view"),
    ("people.followups", _l("Follow-ups"), "people.view"),
    ("referrals.inbox", _l("Referrals received"), "referrals.inbox"),
    ("referrals.index", _l("Referrals"), "referrals.create"),
    ("directory.index", _l("Services"), "directory.view"),
    ("dashboard.index", _l("Dashboard"), "dashboard.view"),
    ("approvals.index", _l("Approvals"), "approvals.view"),
    ("admin.users", _l("Users"), "admin.users"),
    ("people.erasure_candidates", _l("Retention"), "people.erase"),
    ("audit.index", _l("Audit log"), "audit.view"),
]


def navigation():
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, permission in ENTRIES:
        if endpoint in current_app.view_functions and current_user.can(permission):
            items.append({"url": url_for(endpoint), "label": label,
                          "active": (request.endpoint or "").split(".")[0]
                          == endpoint.split(".")[0]})
    return items


def notifications_link():
    """The bell in the top bar: the notifications page and the unread count, when the
    referrals domain is installed."""
    if (not current_user.is_authenticated
            or "referrals.notifications" not in current_app.view_functions):
        return None
    from icrs.referrals.notifications import unread_count
    return {"url": url_for("referrals.notifications"), "unread": unread_count(current_user)}

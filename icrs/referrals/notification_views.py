"""The signed-in user's notifications: list, open, mark all read.

Nothing changes on GET: a notification becomes read by a POST, either its "Open" button in the
list (marks it read, then redirects to its target) or the "Mark as read" button that its target
page (the referral, or the case) shows while it is unread, e.g. after following an e-mail link.
Both go through `notification_open`, which answers 404 for another user's notification."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from icrs.core.errors import DomainError
from icrs.core.pagination import page_arg, paginate
from icrs.extensions import db
from icrs.referrals.notifications import (
    Notification,
    link_for,
    mark_all_read,
    mark_read,
    unread_about,
    user_notifications,
)
from icrs.referrals.views import bp


@bp.app_template_global("unread_notifications")
def unread_notifications(referral=None, person=None):
    """For the target pages' "mark as read" notice (templates/referrals/_unread.html)."""
    return unread_about(current_user, referral=referral, person=person)


@bp.route("/notifications")
def notifications():
    page = paginate(user_notifications(current_user), page_arg(request.args), 25)
    return render_template("referrals/notifications.html", page=page,
                           link=lambda n: link_for(n, current_user))


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
def notification_open(notification_id):
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    try:
        mark_read(current_user, note)
    except DomainError:
        abort(404)
    target = link_for(note, current_user)
    db.session.commit()
    return redirect(target)


@bp.route("/notifications/read", methods=["POST"])
def notifications_read_all():
    mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("referrals.notifications"))

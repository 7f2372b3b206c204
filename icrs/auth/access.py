"""Request guards: login required by default, role permissions (403), idle logout, forced 2FA."""
from datetime import datetime
from functools import wraps

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from icrs.core.timeutil import utcnow

PUBLIC_ENDPOINTS = {"static"}
# Reachable while an account that requires two-step verification has not enrolled yet.
TWO_FACTOR_ENROLMENT_ENDPOINTS = {"auth.two_factor_setup", "auth.two_factor_start",
                                  "auth.two_factor_confirm", "auth.logout", "core.set_language"}


def public(view):
    """Mark a view as reachable without login (everything else requires it)."""
    view.is_public = True
    return view


def permission_required(permission):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator


def is_public_endpoint(endpoint):
    view = current_app.view_functions.get(endpoint)
    return endpoint in PUBLIC_ENDPOINTS or getattr(view, "is_public", False)


def enforce_login():
    """before_request: anonymous users go to the login page unless the endpoint is public.
    A browser session on the HSDS API (public views that answer tokens themselves) passes the
    same session guards as every page."""
    if request.endpoint is None:
        return None
    hsds = request.blueprint == "hsds"
    if is_public_endpoint(request.endpoint) and not hsds:
        return None
    if not current_user.is_authenticated:
        if hsds:
            return None  # the HSDS API answers tokens itself
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return _lifetime_check() or _idle_check() or _two_factor_enrolment_check()


def _seconds_since(key, now):
    """Seconds since the session's timestamp `key`; None when absent or unreadable."""
    try:
        return (now - datetime.fromisoformat(session[key])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return None


def _end_session(message):
    logout_user()
    session.clear()
    flash(message, "info")
    return redirect(url_for("auth.login"))


def _lifetime_check():
    """Absolute lifetime: however active, a session ends ICRS_SESSION_MAX_HOURS after sign-in
    (a session without its sign-in time, e.g. from before this rule, ends at once)."""
    age = _seconds_since("signed_in_at", utcnow())
    if age is None or age > current_app.config["ICRS_SESSION_MAX_HOURS"] * 3600:
        return _end_session(_l("Your session has reached its maximum length. Sign in again."))
    return None


def _idle_check():
    limit = current_app.config["ICRS_IDLE_TIMEOUT_MINUTES"] * 60
    now = utcnow()
    if "last_seen" in session:
        idle = _seconds_since("last_seen", now)
        if idle is None or idle > limit:
            return _end_session(_l("You were signed out after a period of inactivity."))
    session["last_seen"] = now.isoformat()
    return None


def _two_factor_enrolment_check():
    required = current_app.config["ICRS_REQUIRE_2FA_FOR_STAFF"]
    if not current_user.needs_two_factor(required) or current_user.totp_enabled:
        return None
    if request.endpoint in TWO_FACTOR_ENROLMENT_ENDPOINTS:
        return None
    flash(_l("Your role requires two-step verification. Set it up to continue."), "warning")
    return redirect(url_for("auth.two_factor_setup"))

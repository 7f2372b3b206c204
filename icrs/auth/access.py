"""Request guards: login required by default, role permissions (403), idle logout, forced 2FA."""
from datetime import datetime
from functools import wraps

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from icrs.core.timeutil import utcnow

PUBLIC_ENDPOINTS = {"static"}


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
    """before_request: anonymous users go to the login page unless the endpoint is public."""
    if request.endpoint is None or is_public_endpoint(request.endpoint):
        return None
    if not current_user.is_authenticated:
        if request.path.startswith("/hsds"):
            return None  # the HSDS API answers tokens itself
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return _idle_check() or _two_factor_enrolment_check()


def _idle_check():
    limit = current_app.config["ICRS_IDLE_TIMEOUT_MINUTES"] * 60
    now = utcnow()
    last = session.get("last_seen")
    if last is not None:
        try:
            idle = (now - datetime.fromisoformat(last)).total_seconds()
        except (TypeError, ValueError):
            idle = limit + 1
        if idle > limit:
            logout_user()
            session.clear()
            flash(_l("You were signed out after a period of inactivity."), "info")
            return redirect(url_for("auth.login"))
    session["last_seen"] = now.isoformat()
    return None


def _two_factor_enrolment_check():
    required = current_app.config["ICRS_REQUIRE_2FA_FOR_STAFF"]
    if not current_user.needs_two_factor(required) or current_user.totp_enabled:
        return None
    if request.endpoint in ("auth.two_factor_setup", "auth.logout", "core.set_language"):
        return None
    flash(_l("Your role requires two-step verification. Set it up to continue."), "warning")
    return redirect(url_for("auth.two_factor_setup"))

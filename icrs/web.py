"""Request-level glue: user loading, guards, security headers, error pages, template helpers."""
from flask import abort, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from icrs.auth.access import enforce_login
from icrs.auth.models import User
from icrs.core import timeutil
from icrs.core.errors import AccessDenied
from icrs.extensions import db, login_manager

ERROR_TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please sign in"),
    403: _l("You do not have permission to do this"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("This record could not be read safely"),
    410: _l("This case was erased"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
ERROR_TEXTS = {
    400: _l("Check what you entered and try again."),
    403: _l("Your role or scope does not allow this page. Ask a supervisor if you need access."),
    404: _l("It does not exist, or it is outside what you may see."),
    409: _l("The stored data failed its integrity check, so it is not shown. An administrator "
            "has been told through the audit log."),
    410: _l("Its personal data was destroyed after an approved erasure request. Only "
            "anonymous counts remain."),
    413: _l("Send less data at once."),
    429: _l("Wait a minute before trying again."),
    500: _l("The error was recorded. Try again, and tell an administrator if it persists."),
}


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = app.config["SESSION_PROTECTION"]
    login_manager.user_loader(load_user)
    app.before_request(remember_client)
    app.before_request(refuse_nul_bytes)
    app.before_request(enforce_login)
    app.after_request(security_headers)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(AccessDenied, access_denied)
    _register_decryption_error(app)
    app.context_processor(template_helpers)
    timeutil.init_app(app)
    _trust_proxies(app)


def remember_client():
    """before_request: the client's address for the audit entries of this request (services
    never read the request themselves)."""
    g.client_ip = request.remote_addr


def refuse_nul_bytes():
    """before_request: 400 for a NUL in any query or form value. Nobody types one; PostgreSQL
    cannot store one in text (a 500 on any field that reaches a query), SQLite would."""
    for source in (request.args, request.form):
        for _key, values in source.lists():
            if any("\x00" in value for value in values):
                abort(400)


def _trust_proxies(app):
    """Behind nginx the client address and scheme come from X-Forwarded-*; without this the
    per-IP login limit would be shared by everyone and the audit log would record the proxy."""
    hops = app.config.get("ICRS_TRUSTED_PROXIES") or 0
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def load_user(user_id):
    raw_id, _, version = str(user_id).partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


def security_headers(response):
    h = response.headers
    h.setdefault("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                 "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint != "static" and (current_user.is_authenticated
                                         or response.mimetype == "text/html"):
        # Shared computers: never let the browser or a proxy keep pages with personal data.
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
    return response


def render_error(code, message=None):
    db.session.rollback()
    title = ERROR_TITLES.get(code, ERROR_TITLES[500])
    text = message or ERROR_TEXTS.get(code, "")
    return render_template("errors/error.html", code=code, title=title, text=text), code


def http_error(exc):
    if exc.code is None or exc.code < 400:
        return exc
    body, code = render_error(exc.code)
    if code == 429:
        return body, code, {"Retry-After": str(_retry_after())}
    return body, code


def _retry_after():
    """Seconds until the per-IP limit lets the next attempt through (moving window)."""
    import time

    from icrs.extensions import limiter
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()) + 1)


def access_denied(exc):
    """A service refused the actor: roll back whatever the request wrote, answer 403."""
    return render_error(403)


def csrf_error(exc):
    return render_error(400, _l("The form expired or was sent from elsewhere. Reload the page "
                                "and try again."))


def _register_decryption_error(app):
    from icrs.crypto import DecryptionError

    def on_decryption_error(exc):
        app.logger.error("decryption integrity failure on %s %s", request.method, request.path)
        return render_error(409)

    app.register_error_handler(DecryptionError, on_decryption_error)


def template_helpers():
    from flask_babel import get_locale

    from icrs.navigation import navigation, notifications_link
    return {"navigation": navigation, "notifications_link": notifications_link,
            "get_locale": get_locale}

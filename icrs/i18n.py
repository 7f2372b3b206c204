"""Locale selection: the user's choice, then the session, then the browser, then French."""
from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale():
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default  # CLI, services called from tests or cron
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale:
        return current_user.locale
    if session.get("locale") in current_app.config["LANGUAGES"]:
        return session["locale"]
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or default


def select_timezone():
    """The signed-in user's zone (account settings), else the installation's (Africa/Douala)."""
    from icrs.core.timeutil import zone_of

    user = current_user if has_request_context() else None
    return zone_of(user if getattr(user, "is_authenticated", False) else None)

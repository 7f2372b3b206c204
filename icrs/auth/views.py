"""Login, the two-step sign-in step, logout, and the user's own account page. The two-step
settings are in two_factor_views.py (same blueprint)."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from icrs.auth import services
from icrs.auth import two_factor as two_step
from icrs.auth.access import public
from icrs.auth.forms import ChangePasswordForm, LoginForm, TwoFactorForm
from icrs.auth.models import User
from icrs.core.errors import DomainError
from icrs.core.timeutil import utcnow
from icrs.core.views import form_error
from icrs.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _login_limit():
    return current_app.config["ICRS_LOGIN_RATE_LIMIT"]


def _safe_next(target):
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except services.LoginRefused as exc:
            db.session.commit()  # keep the failure count and the audit entry
            form.password.errors.append(exc.message)
            return render_template("auth/login.html", form=form), 401
        return _after_password(user)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _after_password(user):
    if user.totp_enabled:
        session.clear()
        session["pending_2fa_user"] = user.get_id()
        session["pending_next"] = _safe_next(request.args.get("next"))
        return redirect(url_for("auth.two_factor"))
    return _finish_login(user, _safe_next(request.args.get("next")))


def _finish_login(user, next_url):
    session.clear()  # new session on login: no fixation
    services.complete_login(user)
    db.session.commit()
    login_user(user)
    session["signed_in_at"] = utcnow().isoformat()  # the absolute lifetime counts from here
    if user.locale:
        session["locale"] = user.locale
    return redirect(next_url or url_for("core.home"))


@bp.route("/login/two-step", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def two_factor():
    pending = session.get("pending_2fa_user")
    user = _load_pending(pending)
    if user is None:
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        # A wrong code counts like a wrong password (the delays apply), and is audited.
        if not user.is_locked() and two_step.accept_code(user, form.code.data):
            return _finish_login(user, session.get("pending_next"))
        if not user.is_locked():
            services.count_failure(user, "auth.2fa_failed")
        db.session.commit()
        form.code.errors.append(_l("The code is not valid. After several failed attempts, wait "
                                   "a few minutes before trying again."))
        return render_template("auth/two_factor.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/two_factor.html", form=form), status


def _load_pending(pending):
    if not pending:
        return None
    user_id, _, version = pending.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or str(user.session_version) != version or not user.active:
        return None
    return user


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.sign_out(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_l("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/session/keepalive", methods=["POST"])
def keepalive():
    """The idle warning's "Stay signed in" (static/js/idle.js): the request itself renews the
    idle timer (access._idle_check) unless the session has already expired; nothing else."""
    return "", 204


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, current_user, form.current_password.data,
                                     form.new_password.data)
        except DomainError as exc:
            return form_error(form, exc, "auth/account.html")
        db.session.commit()
        login_user(current_user._get_current_object())  # this session stays valid
        flash(_l("Your password was changed."), "success")
        return redirect(url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/account.html", form=form), status


from icrs.auth import two_factor_views  # noqa: E402,F401  (its routes join this blueprint)

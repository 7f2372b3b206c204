"""Login, two-step verification, logout, and the user's own account page."""
from urllib.parse import urlsplit

import segno
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
from markupsafe import Markup

from icrs.auth import services
from icrs.auth.access import public
from icrs.auth.forms import ChangePasswordForm, LoginForm, TwoFactorForm
from icrs.auth.models import User
from icrs.core.errors import DomainError
from icrs.core.timeutil import format_when
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
            message = exc.message
            if exc.locked_until:
                message = Markup("{} {}").format(message, _l(
                    "Locked until %(when)s.", when=format_when(exc.locked_until)))
            form.password.errors.append(message)
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
        if services.verify_totp(user, form.code.data):
            return _finish_login(user, session.get("pending_next"))
        form.code.errors.append(_l("The code is not valid."))
        return render_template("auth/two_factor.html", form=form), 401
    return render_template("auth/two_factor.html", form=form)


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
            services.change_password(current_user, form.current_password.data,
                                     form.new_password.data, actor=current_user)
        except DomainError as exc:
            return form_error(form, exc, "auth/account.html")
        db.session.commit()
        login_user(current_user._get_current_object())  # this session stays valid
        flash(_l("Your password was changed."), "success")
        return redirect(url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/account.html", form=form), status


@bp.route("/account/two-step", methods=["GET", "POST"])
def two_factor_setup():
    form = TwoFactorForm()
    if request.method == "GET" or current_user.totp_secret_ct is None:
        secret = services.start_totp_enrolment(current_user)
        db.session.commit()
    else:
        secret = services.totp_secret(current_user)
    if form.validate_on_submit():
        try:
            services.confirm_totp(current_user, form.code.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            return _setup_page(form, secret, exc.message), 400
        db.session.commit()
        flash(_l("Two-step verification is on."), "success")
        return redirect(url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return _setup_page(form, secret), status


def _setup_page(form, secret, error=None):
    if error:
        form.code.errors.append(error)
    uri = f"otpauth://totp/ICRS:{current_user.username}?secret={secret}&issuer=ICRS"
    # segno builds the SVG from the otpauth URI only (no user-supplied markup).
    qr = Markup(segno.make(uri, error="m").svg_inline(scale=4, title="QR"))  # noqa: S704
    return render_template("auth/two_factor_setup.html", form=form, qr=qr, secret=secret)


@bp.route("/account/two-step/disable", methods=["POST"])
def two_factor_disable():
    if current_user.needs_two_factor(current_app.config["ICRS_REQUIRE_2FA_FOR_STAFF"]):
        flash(_l("Your role requires two-step verification."), "danger")
        return redirect(url_for("auth.account")), 303
    services.disable_totp(current_user, actor=current_user)
    db.session.commit()
    flash(_l("Two-step verification is off."), "info")
    return redirect(url_for("auth.account"))

"""The user's two-step verification settings: enrol (or move to a new device), confirm, turn off,
new recovery codes. GET only shows; every change is a POST that asks for the password (or, to
turn it off, a current code)."""
import segno
from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from icrs.auth import two_factor
from icrs.auth.forms import ConfirmPasswordForm, DisableTwoFactorForm, EnrolmentCodeForm
from icrs.auth.views import bp
from icrs.core.errors import DomainError
from icrs.extensions import db

TEMPLATE = "auth/two_factor_setup.html"


def _page(status=200, **forms):
    user = current_user
    secret = two_factor.pending_secret(user)
    context = {
        "start_form": forms.get("start_form") or ConfirmPasswordForm(prefix="start"),
        "confirm_form": forms.get("confirm_form") or EnrolmentCodeForm(prefix="confirm"),
        "codes_form": forms.get("codes_form") or ConfirmPasswordForm(prefix="codes"),
        "disable_form": forms.get("disable_form") or DisableTwoFactorForm(prefix="off"),
        "secret": secret, "qr": _qr(user, secret) if secret else None,
        "codes_left": two_factor.unused_recovery_codes(user) if user.totp_enabled else 0,
    }
    return render_template(TEMPLATE, **context), status


def _qr(user, secret):
    uri = f"otpauth://totp/ICRS:{user.username}?secret={secret}&issuer=ICRS"
    # segno builds the SVG from the otpauth URI only (no user-supplied markup).
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, title="QR"))  # noqa: S704


def _refused(form, exc, name):
    db.session.rollback()
    field = getattr(form, exc.field or "", None)
    (field.errors if field is not None else form.form_errors).append(exc.message)
    return _page(400, **{name: form})


def _codes_page(codes):
    """Recovery codes are shown once, in the answer to the POST that made them (not cached)."""
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-step")
def two_factor_setup():
    return _page()


@bp.route("/account/two-step/start", methods=["POST"])
def two_factor_start():
    form = ConfirmPasswordForm(prefix="start")
    if not form.validate_on_submit():
        return _page(400, start_form=form)
    try:
        two_factor.start_enrolment(current_user, current_user, form.password.data)
    except DomainError as exc:
        return _refused(form, exc, "start_form")
    db.session.commit()
    return redirect(url_for("auth.two_factor_setup"), 303)


@bp.route("/account/two-step/confirm", methods=["POST"])
def two_factor_confirm():
    form = EnrolmentCodeForm(prefix="confirm")
    if not form.validate_on_submit():
        return _page(400, confirm_form=form)
    try:
        codes = two_factor.confirm_enrolment(current_user, current_user, form.code.data)
    except DomainError as exc:
        return _refused(form, exc, "confirm_form")
    db.session.commit()
    flash(_l("Two-step verification is on."), "success")
    return _codes_page(codes)


@bp.route("/account/two-step/recovery-codes", methods=["POST"])
def two_factor_recovery_codes():
    form = ConfirmPasswordForm(prefix="codes")
    if not form.validate_on_submit():
        return _page(400, codes_form=form)
    try:
        codes = two_factor.regenerate_recovery_codes(current_user, current_user,
                                                     form.password.data)
    except DomainError as exc:
        return _refused(form, exc, "codes_form")
    db.session.commit()
    return _codes_page(codes)


@bp.route("/account/two-step/disable", methods=["POST"])
def two_factor_disable():
    form = DisableTwoFactorForm(prefix="off")
    if not form.validate_on_submit():
        return _page(400, disable_form=form)
    try:
        two_factor.disable(current_user, current_user, form.password.data)
    except DomainError as exc:
        return _refused(form, exc, "disable_form")
    db.session.commit()
    flash(_l("Two-step verification is off."), "info")
    return redirect(url_for("auth.account"), 303)

"""Home page, language switch, and helpers shared by every domain's views."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import public
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied
from icrs.extensions import db

bp = Blueprint("core", __name__)


def show_refusal(exc, form=None, at_top=True) -> int:
    """The one way a view shows a DomainError: roll back (nothing half-written), then the
    message at its field of `form`, else at the form's top (`at_top`), else as a flash.
    Returns the error's HTTP status; an AccessDenied goes on to the app's 403 handler."""
    db.session.rollback()
    if isinstance(exc, AccessDenied):
        raise exc
    field = getattr(form, exc.field, None) if form is not None and exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    elif form is not None and at_top:
        form.form_errors.append(exc.message)
    else:
        flash(exc.message, "danger")
    return exc.status


def form_error(form, exc, template, **context):
    """Show a DomainError on `form` and re-render `template`, nothing saved."""
    status = show_refusal(exc, form)
    return render_template(template, form=form, **context), status


HOME_BY_ROLE = {
    Role.CASEWORKER: "people.index",
    Role.PROVIDER: "referrals.inbox",
    Role.SUPERVISOR: "dashboard.index",
    Role.ADMIN: "admin.users",
    Role.MONITORING: "dashboard.index",
}


@bp.route("/")
def home():
    from flask import current_app
    endpoint = HOME_BY_ROLE.get(current_user.role)
    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return render_template("core/home.html")


@bp.route("/language", methods=["POST"])
@public
def set_language():
    locale = request.form.get("locale", "")
    if locale in ("fr", "en"):
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("core.home")
    return redirect(target)


@bp.route("/account/time-zone", methods=["POST"])
def set_time_zone():
    """The account page's time-zone choice (its own form, so the password form stays apart)."""
    from icrs.auth import services
    from icrs.auth.forms import ChangePasswordForm, TimeZoneForm
    from icrs.core.errors import DomainError

    form = TimeZoneForm(prefix="tz")
    try:
        if not form.validate_on_submit():
            raise DomainError(_l("Choose a time zone from the list."), field="time_zone")
        services.set_time_zone(current_user, form.time_zone.data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        form.time_zone.errors = [exc.message]
        return render_template("auth/account.html", form=ChangePasswordForm(prefix="pw"),
                               tz_form=form), 400
    db.session.commit()
    flash(_l("Times are now shown in %(zone)s.", zone=form.time_zone.data), "success")
    return redirect(url_for("auth.account"))


@bp.app_template_global("time_zone_form")
def time_zone_form():
    """The account page's time-zone form, set to the user's zone."""
    from icrs.auth.forms import TimeZoneForm
    from icrs.core.timeutil import zone_of
    return TimeZoneForm(prefix="tz", formdata=None, data={"time_zone": zone_of(current_user)})

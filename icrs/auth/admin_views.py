"""Administration of user accounts (admins only)."""
import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from icrs.auth import services, two_factor
from icrs.auth.access import permission_required
from icrs.auth.forms import ResetPasswordForm, UserForm
from icrs.auth.models import User
from icrs.core.errors import DomainError
from icrs.core.fields import parse_uuid
from icrs.core.models import Region, Site, offered_places, place_choices
from icrs.core.pagination import page_arg, paginate
from icrs.core.views import form_error
from icrs.directory.models import Organisation
from icrs.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _fill_choices(form, user=None):
    none = [("", "—")]
    form.organisation_id.choices = none + [
        (str(o.id), o.display_name) for o in db.session.scalars(sa.select(Organisation)
                                                        .order_by(Organisation.name))]
    regions, sites = offered_places(keep=(user.site, user.region) if user else ())
    form.site_id.choices = place_choices(sites, empty=True)
    form.region_id.choices = place_choices(regions, empty=True)


def _scope_objects(form):
    org_id = parse_uuid(form.organisation_id.data)
    org = db.session.get(Organisation, org_id) if org_id else None
    site = db.session.get(Site, int(form.site_id.data)) if form.site_id.data else None
    region = db.session.get(Region, int(form.region_id.data)) if form.region_id.data else None
    return org, site, region


@bp.route("/users")
@permission_required("admin.users")
def users():
    q = (request.args.get("q") or "").strip().lower()[:64]
    stmt = sa.select(User).order_by(User.username).options(
        selectinload(User.site).selectinload(Site.region), selectinload(User.region),
        selectinload(User.organisation))
    if q:
        stmt = stmt.where(User.username.contains(q, autoescape=True))
    page = paginate(stmt, page_arg(request.args), 50)
    return render_template("admin/users.html", page=page, q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required("admin.users")
def user_new():
    form = UserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_l("Set an initial password."))
            return render_template("admin/user_form.html", form=form, user=None), 400
        org, site, region = _scope_objects(form)
        try:
            user = services.create_user(current_user, form.username.data, form.full_name.data,
                                        form.role.data, form.password.data, form.email.data,
                                        org, site, region)
        except DomainError as exc:
            return form_error(form, exc, "admin/user_form.html", user=None)
        db.session.commit()
        flash(_l("User %(name)s created.", name=user.username), "success")
        return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required("admin.users")
def user_edit(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user if request.method == "GET" else None)
    _fill_choices(form, user)
    if request.method == "GET":
        form.organisation_id.data = str(user.organisation_id or "")
        form.site_id.data = str(user.site_id or "")
        form.region_id.data = str(user.region_id or "")
        form.role.data = user.role.value
    form.username.data = user.username
    if form.validate_on_submit():
        org, site, region = _scope_objects(form)
        try:
            services.update_user(current_user, user, form.role.data, form.full_name.data,
                                 form.email.data, org, site, region, form.active.data,
                                 focal_point=form.complaints_focal_point.data)
        except DomainError as exc:
            return form_error(form, exc, "admin/user_form.html", user=user,
                              reset_form=ResetPasswordForm(prefix="reset"))
        db.session.commit()
        flash(_l("User %(name)s updated.", name=user.username), "success")
        return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=user,
                           reset_form=ResetPasswordForm(prefix="reset")), status


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@permission_required("admin.users")
def user_reset_password(user_id):
    user = db.session.get(User, user_id) or abort(404)
    form = ResetPasswordForm(prefix="reset")
    if form.validate_on_submit():
        try:
            services.reset_password(current_user, user, form.new_password.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect(url_for("admin.user_edit", user_id=user.id)), 303
        db.session.commit()
        flash(_l("Password reset for %(name)s.", name=user.username), "success")
    else:
        flash(_l("Enter a new password."), "danger")
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _account_action(user_id, act, message):
    """The edit page's one-button actions: load the user, act (audited), commit, say so."""
    user = db.session.get(User, user_id) or abort(404)
    act(user)
    db.session.commit()
    flash(str(message) % {"name": user.username}, "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@permission_required("admin.users")
def user_sign_out(user_id):
    return _account_action(user_id, lambda user: services.end_sessions(current_user, user),
                           _l("%(name)s is signed out everywhere."))


@bp.route("/users/<int:user_id>/two-step/reset", methods=["POST"])
@permission_required("admin.users")
def user_reset_two_factor(user_id):
    return _account_action(user_id, lambda user: two_factor.reset(current_user, user),
                           _l("Two-step verification of %(name)s was reset."))


@bp.route("/users/<int:user_id>/two-step/required", methods=["POST"])
@permission_required("admin.users")
def user_require_two_factor(user_id):
    required = request.form.get("required") == "1"
    return _account_action(
        user_id, lambda user: two_factor.set_required(current_user, user, required),
        _l("Two-step verification settings of %(name)s saved."))

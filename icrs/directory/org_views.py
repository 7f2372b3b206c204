"""Directory pages for organisations and API tokens (HTTP only)."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core import textsearch
from icrs.core.errors import DomainError
from icrs.core.models import Region, offered_places, place_choices
from icrs.core.pagination import page_arg, paginate
from icrs.core.views import form_error
from icrs.directory import services
from icrs.directory.blueprint import bp
from icrs.directory.forms import OrganisationForm, TokenForm
from icrs.directory.models import ApiToken, Organisation, OrganisationType
from icrs.extensions import db


@bp.route("/organisations")
@permission_required("directory.view")
def organisations():
    q = (request.args.get("q") or "").strip().lower()[:100]
    stmt = sa.select(Organisation).order_by(Organisation.name)
    if q:
        stmt = stmt.where(textsearch.contains(Organisation.name, q))
    page = paginate(stmt, page_arg(request.args), 50)
    return render_template("directory/organisations.html", page=page, q=q)


def _organisation_or_404(organisation_id):
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        abort(404)
    return org


@bp.route("/organisations/<uuid:organisation_id>")
@permission_required("directory.view")
def organisation_detail(organisation_id):
    org = _organisation_or_404(organisation_id)
    return render_template("directory/organisation.html", org=org)


def _org_form(org=None):
    if org is not None and request.method == "GET":
        form = OrganisationForm(obj=org, data={"type": org.type.value})
        form.type.data = org.type.value
        form.regions.data = [r.id for r in org.regions]
        form.phone.data = org.phones[0].number if org.phones else None
    else:
        form = OrganisationForm()
    kept = org.regions if org is not None else ()
    form.regions.choices = place_choices(offered_places(keep=kept)[0], key=int)
    return form


def _org_data(form):
    return {"name": form.name.data.strip(), "type": OrganisationType(form.type.data),
            "alternate_name": form.alternate_name.data or None,
            "name_fr": (form.name_fr.data or "").strip() or None,
            "name_en": (form.name_en.data or "").strip() or None,
            "description": form.description.data or "", "email": form.email.data or None,
            "website": form.website.data or None, "phone": (form.phone.data or "").strip() or None,
            "regions": [db.session.get(Region, i) for i in form.regions.data],
            "active": bool(form.active.data)}


@bp.route("/organisations/new", methods=["GET", "POST"])
@permission_required("directory.edit")
def organisation_new():
    if not Organisation.can_create(current_user):
        abort(403)
    form = _org_form()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("directory/organisation_form.html", form=form, org=None), status
    try:
        org = services.create_organisation(current_user, _org_data(form))
    except DomainError as exc:
        return form_error(form, exc, "directory/organisation_form.html", org=None)
    db.session.commit()
    flash(_l("Organisation %(name)s added.", name=org.display_name), "success")
    return redirect(url_for("directory.organisation_detail", organisation_id=org.id))


@bp.route("/organisations/<uuid:organisation_id>/edit", methods=["GET", "POST"])
@permission_required("directory.edit")
def organisation_edit(organisation_id):
    org = _organisation_or_404(organisation_id)
    if not org.can_edit(current_user):
        abort(403)  # providers may see every organisation; only admins edit them
    form = _org_form(org)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("directory/organisation_form.html", form=form, org=org), status
    try:
        services.update_organisation(current_user, org, _org_data(form))
    except DomainError as exc:
        return form_error(form, exc, "directory/organisation_form.html", org=org)
    db.session.commit()
    flash(_l("Organisation updated."), "success")
    return redirect(url_for("directory.organisation_detail", organisation_id=org.id))


# --- API tokens (admins) -----------------------------------------------------------------------
def _require_admin():
    if not Organisation.can_create(current_user):
        abort(403)


def _tokens_page(form, new_token=None, status=200):
    tokens = db.session.scalars(sa.select(ApiToken).order_by(ApiToken.revoked,
                                                            ApiToken.created_at.desc())).all()
    return render_template("directory/tokens.html", form=form, tokens=tokens,
                           new_token=new_token), status


@bp.route("/tokens", methods=["GET", "POST"])
@permission_required("directory.edit")
def tokens():
    _require_admin()
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form, status=400 if request.method == "POST" else 200)
    _token, raw = services.create_api_token(current_user, form.label.data.strip())
    db.session.commit()
    # Shown once, in this response only: never flashed or stored in the session.
    return _tokens_page(TokenForm(formdata=None), new_token=raw)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@permission_required("directory.edit")
def token_revoke(token_id):
    _require_admin()
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    try:
        services.revoke_api_token(current_user, token)
    except DomainError as exc:
        flash(exc.message, "warning")
        return redirect(url_for("directory.tokens"))
    db.session.commit()
    flash(_l("Token revoked. Systems using it lose access now."), "success")
    return redirect(url_for("directory.tokens"))

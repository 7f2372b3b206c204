"""Administration of regions, sites and administrative areas (admins: admin.places). HTTP only:
every change goes through icrs.places.services."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.fields import safe_int
from icrs.core.models import AdminArea, Region, Site, place_choices, places
from icrs.core.pagination import page_arg, paginate
from icrs.core.views import form_error
from icrs.extensions import db
from icrs.places import services
from icrs.places.blueprint import PERMISSION, bp
from icrs.places.forms import ActiveForm, AreaForm, RegionForm, SiteForm


def _get(model, object_id):
    return db.session.get(model, object_id) or abort(404)


def _save(form, template, call, **context):
    """(response, None) to show the form again (200 on GET, 400 when refused), or
    (None, result) once the service has run and the change is committed."""
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return (render_template(template, form=form, **context), status), None
    try:
        result = call()
    except DomainError as exc:
        return form_error(form, exc, template, **context), None
    db.session.commit()
    return None, result


@bp.route("/")
@permission_required(PERMISSION)
def index():
    regions, sites = places()
    levels = dict(db.session.execute(sa.select(AdminArea.level, sa.func.count())
                                     .group_by(AdminArea.level)).all())
    return render_template("places/index.html", regions=regions, sites=sites, levels=levels,
                           toggle=ActiveForm())


# --- regions ---------------------------------------------------------------------------------
@bp.route("/regions/new", methods=["GET", "POST"])
@permission_required(PERMISSION)
def region_new():
    form = RegionForm()
    shown, region = _save(form, "places/region_form.html", lambda: services.create_region(
        current_user, form.code.data, form.name_fr.data, form.name_en.data, form.pcode.data),
        region=None)
    if shown:
        return shown
    flash(_l("Region %(name)s added.", name=region.label), "success")
    return redirect(url_for("places.index"))


@bp.route("/regions/<int:region_id>", methods=["GET", "POST"])
@permission_required(PERMISSION)
def region_edit(region_id):
    region = _get(Region, region_id)
    form = RegionForm(obj=region if request.method == "GET" else None)
    shown, _changed = _save(form, "places/region_form.html", lambda: services.update_region(
        current_user, region, form.name_fr.data, form.name_en.data, form.pcode.data),
        region=region, toggle=ActiveForm())
    if shown:
        return shown
    flash(_l("Region %(name)s saved.", name=region.label), "success")
    return redirect(url_for("places.index"))


# --- sites -----------------------------------------------------------------------------------
@bp.route("/sites/new", methods=["GET", "POST"])
@permission_required(PERMISSION)
def site_new():
    form = SiteForm()
    form.region_id.choices = place_choices(places(active=True)[0], empty=True)

    def create():
        region = db.session.get(Region, safe_int(form.region_id.data) or 0)
        return services.create_site(current_user, form.code.data, region, form.name_fr.data,
                                    form.name_en.data, form.area_pcode.data, form.latitude.data,
                                    form.longitude.data)
    shown, site = _save(form, "places/site_form.html", create, site=None)
    if shown:
        return shown
    flash(_l("Site %(name)s added.", name=site.label), "success")
    return redirect(url_for("places.index"))


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@permission_required(PERMISSION)
def site_edit(site_id):
    site = _get(Site, site_id)
    form = SiteForm(obj=site if request.method == "GET" else None)
    if request.method == "GET":
        form.area_pcode.data = site.area.pcode if site.area else ""
    shown, _changed = _save(form, "places/site_form.html", lambda: services.update_site(
        current_user, site, form.name_fr.data, form.name_en.data, form.area_pcode.data,
        form.latitude.data, form.longitude.data), site=site, toggle=ActiveForm())
    if shown:
        return shown
    flash(_l("Site %(name)s saved.", name=site.label), "success")
    return redirect(url_for("places.index"))


# --- administrative areas --------------------------------------------------------------------
@bp.route("/areas")
@permission_required(PERMISSION)
def areas():
    q = (request.args.get("q") or "").strip()[:64]
    level = safe_int(request.args.get("level"), 1, 3)
    stmt = sa.select(AdminArea).order_by(AdminArea.pcode)
    if level:
        stmt = stmt.where(AdminArea.level == level)
    if q:
        stmt = stmt.where(sa.or_(AdminArea.pcode.startswith(q.upper(), autoescape=True),
                                 AdminArea.name_fr.contains(q, autoescape=True),
                                 AdminArea.name_en.contains(q, autoescape=True)))
    page = paginate(stmt, page_arg(request.args), 50)
    return render_template("places/areas.html", page=page, q=q, level=level)


@bp.route("/areas/new", methods=["GET", "POST"])
@permission_required(PERMISSION)
def area_new():
    form = AreaForm()
    shown, area = _save(form, "places/area_form.html", lambda: services.create_area(
        current_user, form.pcode.data, safe_int(form.level.data, 1, 3), form.name_fr.data,
        form.name_en.data, form.parent_pcode.data, form.latitude.data, form.longitude.data),
        area=None)
    if shown:
        return shown
    flash(_l("Area %(name)s added.", name=area.label), "success")
    return redirect(url_for("places.areas"))


@bp.route("/areas/<int:area_id>", methods=["GET", "POST"])
@permission_required(PERMISSION)
def area_edit(area_id):
    area = _get(AdminArea, area_id)
    form = AreaForm(obj=area if request.method == "GET" else None)
    shown, _changed = _save(form, "places/area_form.html", lambda: services.update_area(
        current_user, area, form.name_fr.data, form.name_en.data, form.latitude.data,
        form.longitude.data), area=area, toggle=ActiveForm())
    if shown:
        return shown
    flash(_l("Area %(name)s saved.", name=area.label), "success")
    return redirect(url_for("places.areas"))


# --- deactivation ----------------------------------------------------------------------------
TOGGLE_TARGETS = {"region": (Region, "places.region_edit", "region_id"),
                  "site": (Site, "places.site_edit", "site_id"),
                  "area": (AdminArea, "places.area_edit", "area_id")}


def _toggle(kind, object_id):
    model, endpoint, arg = TOGGLE_TARGETS[kind]
    place = _get(model, object_id)
    back = url_for(endpoint, **{arg: place.id})
    form = ActiveForm()
    if not form.validate_on_submit():
        return render_template("places/refused.html", back=back,
                               message=_l("Send the form from the page again.")), 400
    try:
        services.set_active(current_user, place, form.active.data == "1")
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 403:
            raise
        return render_template("places/refused.html", back=back, message=exc.message), \
            exc.status
    db.session.commit()
    flash(_l("%(name)s is active: offered for new records.", name=place.label) if place.active
          else _l("%(name)s is deactivated: kept on its records, offered for no new one.",
                  name=place.label), "success")
    return redirect(back)


@bp.route("/regions/<int:region_id>/active", methods=["POST"])
@permission_required(PERMISSION)
def region_active(region_id):
    return _toggle("region", region_id)


@bp.route("/sites/<int:site_id>/active", methods=["POST"])
@permission_required(PERMISSION)
def site_active(site_id):
    return _toggle("site", site_id)


@bp.route("/areas/<int:area_id>/active", methods=["POST"])
@permission_required(PERMISSION)
def area_active(area_id):
    return _toggle("area", area_id)


from icrs.places import import_views  # noqa: E402,F401 - attach its routes

"""Directory pages: search, service page, service editing, capacity, CSV export (HTTP only)."""
import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from icrs.auth.access import permission_required
from icrs.core.errors import DomainError
from icrs.core.fields import parse_uuid
from icrs.core.models import Region, Site, offered_places, place_choices, places
from icrs.core.pagination import page_arg, paginate
from icrs.core.views import form_error
from icrs.directory import services
from icrs.directory.blueprint import bp, hsds_bp
from icrs.directory.eligibility import SearchFilters, is_eligible, search_services
from icrs.directory.exporter import export_csv
from icrs.directory.forms import CapacityForm, SearchForm, ServiceForm
from icrs.directory.models import Organisation, Service
from icrs.directory.primary import form_values
from icrs.directory.taxonomy import category_by_code
from icrs.extensions import db

BLUEPRINTS = [bp, hsds_bp]


def _search_form():
    form = SearchForm(request.args)
    regions, sites = places(active=True)
    form.region.choices = place_choices(regions, empty=True)
    form.site.choices = place_choices(sites, empty=True)
    return form


def _filters(form):
    site = db.session.get(Site, int(form.site.data)) if form.site.data else None
    return SearchFilters(
        q=(form.q.data or "").strip(), category=form.category.data or None,
        region_id=int(form.region.data) if form.region.data else None, site=site,
        language=form.language.data or None, open_only=bool(form.open_only.data),
        age=form.age.data, sex=form.sex.data or None,
        person_category=form.person_category.data or None,
        include_inactive=bool(form.include_inactive.data) and current_user.can("directory.edit"))


@bp.route("/")
@permission_required("directory.view")
def index():
    form = _search_form()
    if request.args and not form.validate():
        empty = paginate(sa.select(Service).where(sa.false()), 1)
        return render_template("directory/index.html", form=form, page=empty), 400
    page = paginate(search_services(_filters(form)), page_arg(request.args))
    return render_template("directory/index.html", form=form, page=page)


@bp.route("/export.csv")
@permission_required("directory.view")
def export():
    form = _search_form()
    stmt = search_services(_filters(form)) if form.validate() else None
    return Response(export_csv(stmt), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=icrs-directory.csv"})


def _service_or_404(service_id):
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    return service


@bp.route("/services/<uuid:service_id>")
@permission_required("directory.view")
def service_detail(service_id):
    service = _service_or_404(service_id)
    form = _search_form()
    check = None
    if form.validate() and (form.age.data is not None or form.sex.data
                            or form.person_category.data):
        check = is_eligible(service, form.age.data, form.sex.data or None,
                            form.person_category.data or None)
    return render_template("directory/service.html", service=service, check=check,
                           capacity_form=CapacityForm(obj=service))


def _service_form(service=None):
    data = {}
    if service is not None:
        data = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
        data.update(form_values(service))
        data.update(category=service.category.code, status=service.status.value,
                    sexes=[s.value for s in service.sexes],
                    categories=[c.value for c in service.categories],
                    regions=[r.id for r in service.regions], sites=[s.id for s in service.sites],
                    required_documents="\n".join(data["required_documents"]),
                    organisation_id=str(service.organisation_id),
                    referral_method=service.referral_method.value)
    form = ServiceForm(data=data)
    kept = [*service.regions, *service.sites] if service is not None else ()
    regions, sites = offered_places(keep=kept)
    form.regions.choices = place_choices(regions, key=int)
    form.sites.choices = [(s.id, s.long_label) for s in sites]
    form.organisation_id.choices = [(str(o.id), o.display_name) for o in db.session.scalars(
        sa.select(Organisation).order_by(Organisation.name))]
    if service is not None and not Service.can_create(current_user):
        del form.organisation_id  # providers keep the service in their organisation
    return form


def service_data(form):
    """Plain data for services.create/update_service from a validated form."""
    data = {name: form[name].data for name in services.SERVICE_FIELDS if name in form}
    for name in ("alternate_name", "alert", "url", "email", "fees_description"):
        data[name] = data.get(name) or None
    data.update(
        category=category_by_code(form.category.data), sexes=form.sexes.data,
        categories=form.categories.data,
        regions=[db.session.get(Region, i) for i in form.regions.data],
        sites=[db.session.get(Site, i) for i in form.sites.data],
        languages=form.languages.data, schedule_days=form.schedule_days.data,
        required_documents=[line.strip() for line in
                            (form.required_documents.data or "").splitlines() if line.strip()])
    for name in ("phone", "contact_name", "contact_title", "contact_email", "contact_phone",
                 "opens_at", "closes_at", "schedule_description", "address_1", "city"):
        data[name] = (form[name].data or "").strip() or None
    return data


@bp.route("/services/new", methods=["GET", "POST"])
@permission_required("directory.edit")
def service_new():
    if not Service.can_create(current_user):
        abort(403)
    form = _service_form()
    if not form.validate_on_submit():
        return _render_form(form, None, 400 if request.method == "POST" else 200)
    org = db.session.get(Organisation, _uuid(form.organisation_id.data))
    try:
        service = services.create_service(current_user, org, service_data(form))
    except DomainError as exc:
        return form_error(form, exc, "directory/service_form.html", service=None)
    db.session.commit()
    flash(_l("Service %(name)s added.", name=service.name), "success")
    return redirect(url_for("directory.service_detail", service_id=service.id))


@bp.route("/services/<uuid:service_id>/edit", methods=["GET", "POST"])
@permission_required("directory.edit")
def service_edit(service_id):
    service = _service_or_404(service_id)
    if not service.can_edit(current_user):
        abort(404)
    form = _service_form(service)
    if not form.validate_on_submit():
        return _render_form(form, service, 400 if request.method == "POST" else 200)
    org = (db.session.get(Organisation, _uuid(form.organisation_id.data))
           if "organisation_id" in form else None)
    try:
        services.update_service(current_user, service, service_data(form), organisation=org)
    except DomainError as exc:
        return form_error(form, exc, "directory/service_form.html", service=service)
    db.session.commit()
    flash(_l("Service updated."), "success")
    return redirect(url_for("directory.service_detail", service_id=service.id))


def _render_form(form, service, status):
    return render_template("directory/service_form.html", form=form, service=service), status


@bp.route("/services/<uuid:service_id>/capacity", methods=["POST"])
@permission_required("directory.edit")
def service_capacity(service_id):
    service = _service_or_404(service_id)
    if not service.can_edit(current_user):
        abort(404)
    form = CapacityForm()
    if not form.validate_on_submit():
        return _capacity_error(service, form)
    try:
        services.update_capacity(current_user, service, form.open_slots.data, form.capacity.data)
    except DomainError as exc:
        return form_error(form, exc, "directory/service.html", service=service, check=None,
                          capacity_form=form)
    db.session.commit()
    flash(_l("Capacity updated."), "success")
    return redirect(url_for("directory.service_detail", service_id=service.id))


def _capacity_error(service, form):
    return render_template("directory/service.html", service=service, check=None,
                           capacity_form=form), 400


def _uuid(value):
    return parse_uuid(value) or abort(400)


from icrs.directory import api, org_views  # noqa: E402,F401 - attach their routes

"""HSDS 3.0 API (read-only JSON) for signed-in users or an API token (`Authorization: Bearer`).

The views are marked public so that the login redirect does not apply: each answers 401 JSON
itself when there is neither a session nor a valid token. All services are listed whatever
their status (HSDS `status` carries it); `?status=active` keeps the open services of active
organisations.
"""
import uuid
from functools import wraps

import sqlalchemy as sa
from flask import g, jsonify, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from icrs.auth.access import public
from icrs.core.pagination import MAX_PAGE
from icrs.directory import hsds
from icrs.directory.blueprint import hsds_bp
from icrs.directory.details import ServiceAtLocation
from icrs.directory.eligibility import active_clauses
from icrs.directory.models import Organisation, Service, Taxonomy, TaxonomyTerm
from icrs.directory.services import authenticate_token
from icrs.extensions import db

MAX_PER_PAGE = 100


def _error(status, message):
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="icrs-hsds"'
    return response


def token_or_login(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and current_user.can("directory.view"):
            return view(*args, **kwargs)
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() == "bearer" and authenticate_token(raw.strip()) is not None:
            db.session.commit()  # keep last_used_at
            return view(*args, **kwargs)
        db.session.rollback()
        return _error(401, "authentication required: sign in or send a valid API token")

    return wrapped


def _lang():
    return "fr" if request.args.get("lang") == "fr" else "en"


def _paging():
    try:
        page = min(MAX_PAGE, max(1, int(request.args.get("page", 1))))
        size = min(MAX_PER_PAGE, max(1, int(request.args.get("per_page", 50))))
    except ValueError:
        return None
    return page, size


def _page(stmt, serialise):
    paging = _paging()
    if paging is None:
        return _error(400, "page and per_page must be whole numbers")
    page, size = paging
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.limit(size).offset((page - 1) * size)).all()
    return jsonify(hsds.page_envelope([serialise(r) for r in rows], page, size, total))


def _get(model, raw_id):
    try:
        return db.session.get(model, uuid.UUID(raw_id))
    except ValueError:
        return None


def _one(model, raw_id, what, serialise):
    """A single HSDS object as JSON, or a JSON 404 naming what was not found."""
    obj = _get(model, raw_id)
    if obj is None:
        return _error(404, f"no such {what}")
    return jsonify(serialise(obj))


def _search(stmt, *columns):
    text = (request.args.get("search") or "").strip().lower()[:100]
    if text:
        stmt = stmt.where(sa.or_(*(sa.func.lower(c).contains(text, autoescape=True)
                                   for c in columns)))
    return stmt


@hsds_bp.route("/", endpoint="root")
@public
@token_or_login
def api_root():
    return jsonify(hsds.api_root())


@hsds_bp.route("/services", endpoint="services")
@public
@token_or_login
def api_services():
    stmt = _search(sa.select(Service).order_by(Service.name, Service.id), Service.name,
                   Service.description)
    if request.args.get("status") == "active":
        stmt = stmt.where(*active_clauses())  # and its organisation active
    for arg, column in (("organization_id", Service.organisation_id),
                        ("taxonomy_term_id", Service.category_id)):
        if request.args.get(arg):
            try:
                stmt = stmt.where(column == uuid.UUID(request.args[arg]))
            except ValueError:
                return _error(400, f"{arg} must be a UUID")
    full = request.args.get("full") == "true"
    return _page(stmt.options(*_service_loads(full)),
                 lambda s: hsds.service_to_hsds(s, _lang(), full=full))


def _service_loads(full):
    """Everything the serialiser reads, loaded for the whole page at once (no query per row)."""
    loads = [selectinload(Service.organisation)]
    if full:
        # the vocabularies are small: load them whole, and hold them for the request (the
        # identity map keeps only weak references), so term() never queries per row
        g.hsds_terms = db.session.scalars(
            sa.select(TaxonomyTerm).options(selectinload(TaxonomyTerm.taxonomy))).all()
        loads += [selectinload(getattr(Service, name)) for name in (
            "phones", "schedules", "regions", "sites", "languages", "cost_options",
            "required_documents", "contacts", "category", "eligible_categories")]
        loads.append(selectinload(Service.service_at_locations)
                     .selectinload(ServiceAtLocation.location))
    return loads


@hsds_bp.route("/services/<service_id>", endpoint="service")
@public
@token_or_login
def api_service(service_id):
    return _one(Service, service_id, "service", lambda s: hsds.service_to_hsds(s, _lang()))


@hsds_bp.route("/organizations", endpoint="organizations")
@public
@token_or_login
def api_organizations():
    stmt = _search(sa.select(Organisation).order_by(Organisation.name), Organisation.name)
    full = request.args.get("full") == "true"
    return _page(stmt, lambda o: hsds.organization_to_hsds(o, _lang(), detail=full))


@hsds_bp.route("/organizations/<organization_id>", endpoint="organization")
@public
@token_or_login
def api_organization(organization_id):
    services = "full" if request.args.get("full_service") == "true" else "ids"
    return _one(Organisation, organization_id, "organization",
                lambda o: hsds.organization_to_hsds(o, _lang(), services=services))


@hsds_bp.route("/taxonomies", endpoint="taxonomies")
@public
@token_or_login
def api_taxonomies():
    stmt = _search(sa.select(Taxonomy).order_by(Taxonomy.code), Taxonomy.name)
    return _page(stmt, hsds.taxonomy_to_hsds)


@hsds_bp.route("/taxonomies/<taxonomy_id>", endpoint="taxonomy")
@public
@token_or_login
def api_taxonomy(taxonomy_id):
    return _one(Taxonomy, taxonomy_id, "taxonomy", hsds.taxonomy_to_hsds)


@hsds_bp.route("/taxonomy_terms", endpoint="taxonomy_terms")
@public
@token_or_login
def api_taxonomy_terms():
    stmt = sa.select(TaxonomyTerm).order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.position)
    stmt = _search(stmt, TaxonomyTerm.name_en, TaxonomyTerm.name_fr, TaxonomyTerm.code)
    if request.args.get("taxonomy_id"):
        try:
            stmt = stmt.where(TaxonomyTerm.taxonomy_id == uuid.UUID(request.args["taxonomy_id"]))
        except ValueError:
            return _error(400, "taxonomy_id must be a UUID")
    return _page(stmt, lambda t: hsds.term_to_hsds(t, _lang()))


@hsds_bp.route("/taxonomy_terms/<term_id>", endpoint="taxonomy_term")
@public
@token_or_login
def api_taxonomy_term(term_id):
    return _one(TaxonomyTerm, term_id, "taxonomy term", lambda t: hsds.term_to_hsds(t, _lang()))

"""HSDS 3.0 API (read-only JSON) for signed-in users or an API token (`Authorization: Bearer`).

The views are marked public so that the login redirect does not apply: each answers 401 JSON
itself when there is neither a session nor a valid token. All services are listed whatever
their status (HSDS `status` carries it); `?status=active` keeps the open services of active
organisations. The HSDS 3.0 query parameters are read in api_query.py (`modified_after`,
`minimal`, `taxonomy_id`, `taxonomy_term_id`, `full`, `full_service`, `top_only`, `parent_id`,
`format=ndjson`); answers carry an ETag and honour If-None-Match. Unknown paths and methods
answer JSON too.
"""
import uuid
from functools import wraps

import sqlalchemy as sa
from flask import current_app, g, jsonify, request
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from icrs.auth.access import public
from icrs.core import textsearch
from icrs.core.pagination import MAX_PAGE
from icrs.directory import api_query, hsds
from icrs.directory.api_query import BadParameter, conditional, flag
from icrs.directory.blueprint import hsds_bp
from icrs.directory.details import ServiceAtLocation
from icrs.directory.eligibility import active_clauses
from icrs.directory.models import Organisation, Service, Taxonomy, TaxonomyTerm
from icrs.directory.services import authenticate_token
from icrs.extensions import csrf, db

MAX_PER_PAGE = 100
MAX_MINIMAL_PER_PAGE = 10000  # `minimal`: "aim to return all services within one call"


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


@hsds_bp.errorhandler(BadParameter)
def _bad_parameter(exc):
    return _error(400, str(exc))


@hsds_bp.errorhandler(HTTPException)
def _http_error(exc):
    """Any HTTP error of an API request (e.g. the app's 400 for a NUL byte) as JSON."""
    if exc.code is None or exc.code < 400:
        return exc
    db.session.rollback()
    return _error(exc.code, exc.name.lower())


def _paging(most=MAX_PER_PAGE, default=50):
    try:
        page = min(MAX_PAGE, max(1, int(request.args.get("page", 1))))
        size = min(most, max(1, int(request.args.get("per_page", default))))
    except ValueError:
        return None
    return page, size


def _page(stmt, serialise, most=MAX_PER_PAGE, default=50):
    """One page in the HSDS envelope, or every row as NDJSON with `format=ndjson`."""
    if api_query.ndjson_requested():
        return api_query.ndjson_response(stmt, serialise)
    paging = _paging(most, default)
    if paging is None:
        return _error(400, "page and per_page must be whole numbers")
    page, size = paging
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.limit(size).offset((page - 1) * size)).all()
    response = jsonify(hsds.page_envelope([serialise(r) for r in rows], page, size, total))
    return conditional(response, api_query.last_modified_of(rows))


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
    return conditional(jsonify(serialise(obj)), api_query.last_modified_of([obj]))


def _search(stmt, *columns):
    text = (request.args.get("search") or "").strip()[:100]
    if text:
        stmt = stmt.where(sa.or_(*(textsearch.contains(c, text) for c in columns)))
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
    stmt = api_query.service_filters(stmt)
    if flag("minimal"):
        return _page(stmt, hsds.service_minimal, MAX_MINIMAL_PER_PAGE, MAX_MINIMAL_PER_PAGE)
    full = flag("full")
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
    stmt = _search(sa.select(Organisation).order_by(Organisation.name, Organisation.id),
                   Organisation.name)
    full_service = flag("full_service")
    full = flag("full") or full_service
    services = "full" if full_service else "ids"
    return _page(stmt, lambda o: hsds.organization_to_hsds(o, _lang(), services=services,
                                                           detail=full))


@hsds_bp.route("/organizations/<organization_id>", endpoint="organization")
@public
@token_or_login
def api_organization(organization_id):
    services = "full" if flag("full_service") else "ids"
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
    stmt = sa.select(TaxonomyTerm).order_by(TaxonomyTerm.taxonomy_id, TaxonomyTerm.position,
                                            TaxonomyTerm.id)
    stmt = _search(stmt, TaxonomyTerm.name_en, TaxonomyTerm.name_fr, TaxonomyTerm.code)
    for arg, column in (("taxonomy_id", TaxonomyTerm.taxonomy_id),
                        ("parent_id", TaxonomyTerm.parent_id)):
        value = api_query.uuid_arg(arg)
        if value:
            stmt = stmt.where(column == value)
    if flag("top_only"):
        stmt = stmt.where(TaxonomyTerm.parent_id.is_(None))
    return _page(stmt.options(selectinload(TaxonomyTerm.taxonomy)),
                 lambda t: hsds.term_to_hsds(t, _lang()))


@hsds_bp.route("/taxonomy_terms/<term_id>", endpoint="taxonomy_term")
@public
@token_or_login
def api_taxonomy_term(term_id):
    return _one(TaxonomyTerm, term_id, "taxonomy term", lambda t: hsds.term_to_hsds(t, _lang()))


@hsds_bp.route("/service_at_locations", endpoint="service_at_locations")
@public
@token_or_login
def api_service_at_locations():
    """`postcode` and `proximity` are accepted and not applied (no geocoding here)."""
    stmt = _search(api_query.service_at_location_select(), Service.name, Service.description)
    stmt = api_query.service_filters(stmt).order_by(Service.name, ServiceAtLocation.id)
    full = flag("full")
    loads = [selectinload(ServiceAtLocation.location), selectinload(ServiceAtLocation.service)
             .selectinload(Service.organisation)]
    return _page(stmt.options(*loads),
                 lambda sal: hsds.service_at_location_to_hsds(sal, _lang(), full=full))


@hsds_bp.route("/service_at_locations/<sal_id>", endpoint="service_at_location")
@public
@token_or_login
def api_service_at_location(sal_id):
    return _one(ServiceAtLocation, sal_id, "service_at_location",
                lambda sal: hsds.service_at_location_to_hsds(sal, _lang(), full=True))


def _any_method_rules(state):
    """The catch-all takes every method (werkzeug rules without `methods`), so even an
    unusual one (TRACE, QUERY …) gets a JSON answer rather than the HTML error page."""
    from werkzeug.routing import Rule

    state.app.url_map.add(Rule("/hsds/", endpoint="hsds.unknown", defaults={"path": ""}))
    state.app.url_map.add(Rule("/hsds/<path:path>", endpoint="hsds.unknown"))
    state.app.view_functions["hsds.unknown"] = api_unknown


hsds_bp.record_once(_any_method_rules)


@public
@csrf.exempt  # answers only errors: 404, or 405 for a known path with another method
def api_unknown(path):
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(request.path, method="GET")
    except (NotFound, MethodNotAllowed):
        return _error(404, "no such HSDS API path")
    if endpoint == "hsds.unknown":
        return _error(404, "no such HSDS API path")
    response = _error(405, "this HSDS API is read-only: use GET")
    response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response

"""HSDS 3.0 API query parameters (filters, flags) and response helpers: NDJSON streaming and
conditional GET (ETag / Last-Modified, 304). The views in api.py stay one query each."""
import hashlib
import json
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, request, stream_with_context

from icrs.directory.details import ServiceAtLocation
from icrs.directory.models import Service, ServiceEligibleCategory, TaxonomyTerm
from icrs.directory.taxonomy import PERSON_CATEGORY, PROPERTY, SEX, taxonomy_uuid
from icrs.extensions import db

NDJSON_BATCH = 200
PROPERTY_COLUMNS = ("capacity", "open_slots", "referral_method", "response_time_hours")


class BadParameter(Exception):
    """A query parameter the API cannot use: 400 with this message."""


def flag(name):
    raw = (request.args.get(name) or "").strip().lower()
    if raw in ("", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise BadParameter(f"{name} must be true or false")


def uuid_arg(name):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a UUID") from None


def modified_after():
    """`modified_after` as naive UTC (how times are stored), or None."""
    raw = (request.args.get("modified_after") or "").strip()
    if not raw:
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise BadParameter("modified_after must be an ISO 8601 date-time") from None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def ndjson_requested():
    fmt = (request.args.get("format") or "json").strip().lower()
    if fmt not in ("json", "ndjson"):
        raise BadParameter("format must be json or ndjson")
    return fmt == "ndjson"


# --- service filters -----------------------------------------------------------------------------
def term_clause(term):
    """Services that carry `term`: their category, or the eligibility / property attributes
    the serialiser derives from plain columns (hsds.service_attributes)."""
    if term.taxonomy_id == taxonomy_uuid(SEX):
        return Service.serves_female if term.code == "female" else Service.serves_male
    if term.taxonomy_id == taxonomy_uuid(PERSON_CATEGORY):
        return Service.eligible_categories.any(ServiceEligibleCategory.category == term.code)
    if term.taxonomy_id == taxonomy_uuid(PROPERTY):
        column = getattr(Service, term.code, None) if term.code in PROPERTY_COLUMNS else None
        return column.is_not(None) if column is not None else sa.false()
    return Service.category_id == term.id


def taxonomy_clause(taxonomy_id):
    if taxonomy_id == taxonomy_uuid(SEX):
        return sa.true()  # every service serves at least one sex
    if taxonomy_id == taxonomy_uuid(PERSON_CATEGORY):
        return Service.eligible_categories.any()
    if taxonomy_id == taxonomy_uuid(PROPERTY):
        return sa.or_(*(getattr(Service, c).is_not(None) for c in PROPERTY_COLUMNS))
    return Service.category.has(TaxonomyTerm.taxonomy_id == taxonomy_id)


def service_filters(stmt):
    """organization_id, taxonomy_term_id, taxonomy_id, modified_after on a select that
    includes Service."""
    org_id = uuid_arg("organization_id")
    if org_id:
        stmt = stmt.where(Service.organisation_id == org_id)
    term_id = uuid_arg("taxonomy_term_id")
    if term_id:
        term = db.session.get(TaxonomyTerm, term_id)
        stmt = stmt.where(term_clause(term) if term is not None else sa.false())
    taxonomy_id = uuid_arg("taxonomy_id")
    if taxonomy_id:
        stmt = stmt.where(taxonomy_clause(taxonomy_id))
    after = modified_after()
    if after is not None:
        stmt = stmt.where(Service.updated_at >= after)
    return stmt


def service_at_location_select():
    return sa.select(ServiceAtLocation).join(Service, Service.id == ServiceAtLocation.service_id)


# --- responses -----------------------------------------------------------------------------------
def ndjson_response(stmt, serialise):
    """Every row, one JSON object per line, read in batches (no pagination)."""
    def lines():
        offset = 0
        while True:
            rows = db.session.scalars(stmt.limit(NDJSON_BATCH).offset(offset)).all()
            for row in rows:
                yield json.dumps(serialise(row), ensure_ascii=False) + "\n"
            if len(rows) < NDJSON_BATCH:
                return
            offset += NDJSON_BATCH
            db.session.expunge_all()

    return current_app.response_class(stream_with_context(lines()),
                                      mimetype="application/x-ndjson")


def last_modified_of(rows):
    stamps = [getattr(r, "updated_at", None) for r in rows]
    stamps = [s for s in stamps if s is not None]
    return max(stamps).replace(tzinfo=UTC) if stamps else None


def conditional(response, last_modified=None):
    """A strong ETag over the body (and Last-Modified when known); 304 on If-None-Match or
    If-Modified-Since. API clients may keep the answer but must revalidate it."""
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers.setdefault("Cache-Control", "no-cache")
    return response.make_conditional(request)

"""Directory operations: the only place that changes organisations, services and API tokens.
Each takes plain data and an `actor`, checks the domain rules, writes the audit entry, flushes."""
import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import today, utcnow
from icrs.directory import primary
from icrs.directory.models import ApiToken, Organisation, Service
from icrs.directory.taxonomy import SERVICE_CATEGORY, is_offered_category, taxonomy_uuid
from icrs.directory.vocab import ServiceStatus, is_language
from icrs.extensions import db

ORGANISATION_FIELDS = ("name", "name_fr", "name_en", "type", "alternate_name", "description",
                       "email", "website", "active")
SERVICE_FIELDS = ("name", "alternate_name", "description", "status", "alert", "url", "email",
                  "application_process", "fees_description", "eligibility_description",
                  "interpretation_services", "minimum_age", "maximum_age", "capacity",
                  "open_slots", "referral_method", "response_time_hours")


def _snapshot(obj, fields):
    return {f: getattr(obj, f) for f in fields}


def _changed(before, after):
    return sorted(k for k in before if before[k] != after[k])


# --- organisations -----------------------------------------------------------------------------
def create_organisation(actor, data):
    if not Organisation.can_create(actor):
        raise AccessDenied(_l("Only administrators add organisations."))
    org = Organisation(name=data["name"])
    _apply_organisation(org, data)
    db.session.add(org)
    db.session.flush()
    record("directory.organisation_created", actor=actor, obj=org)
    return org


def update_organisation(actor, org, data):
    if not org.can_edit(actor):
        raise AccessDenied(_l("Only administrators edit organisations."))
    before = _snapshot_org(org)
    was_active = org.active
    _apply_organisation(org, data)
    closed = _close_services(org) if was_active and not org.active else 0
    db.session.flush()
    changed = _changed(before, _snapshot_org(org))
    record("directory.organisation_updated", actor=actor, obj=org, fields=changed,
           services_closed=closed)
    return org


def _snapshot_org(org):
    snap = _snapshot(org, ORGANISATION_FIELDS)
    snap["regions"] = sorted(r.id for r in org.regions)
    snap["phone"] = org.phones[0].number if org.phones else None
    return snap


def _apply_organisation(org, data):
    _check_unique_name(org, data["name"])
    for field in ORGANISATION_FIELDS:
        if field in data:
            setattr(org, field, data[field])
    if "regions" in data:
        org.regions = list(data["regions"])
    if "phone" in data:
        primary.set_org_phone(org, data["phone"])


def _check_unique_name(org, name):
    stmt = sa.select(Organisation.id).where(Organisation.name == name)
    if org.id is not None:
        stmt = stmt.where(Organisation.id != org.id)
    with db.session.no_autoflush:
        clash = db.session.scalar(stmt)
    if clash:
        raise DomainError(_l("Another organisation already has this name."), field="name")


def _close_services(org):
    """A deactivated organisation offers nothing: its active services become inactive."""
    closed = 0
    for service in org.services:
        if service.status != ServiceStatus.INACTIVE:
            service.status = ServiceStatus.INACTIVE
            closed += 1
    return closed


# --- services ----------------------------------------------------------------------------------
def create_service(actor, organisation, data):
    if not Service.can_create(actor):
        raise AccessDenied(_l("Only administrators add services."))
    service = Service(organisation=organisation)
    _apply_service(actor, service, data)
    db.session.add(service)
    db.session.flush()
    record("directory.service_created", actor=actor, obj=service,
           organisation_id=str(organisation.id))
    return service


def update_service(actor, service, data, organisation=None):
    if not service.can_edit(actor):
        raise AccessDenied(_l("You may only edit your own organisation's services."))
    before = primary.snapshot(service, SERVICE_FIELDS)
    if organisation is not None and organisation.id != service.organisation_id:
        if actor.role != Role.ADMIN:
            raise AccessDenied(_l("Only administrators move a service to another organisation."))
        service.organisation = organisation
    _apply_service(actor, service, data)
    db.session.flush()
    changed = _changed(before, primary.snapshot(service, SERVICE_FIELDS))
    record("directory.service_updated", actor=actor, obj=service, fields=changed)
    return service


def update_capacity(actor, service, open_slots, capacity):
    if not service.can_edit(actor):
        raise AccessDenied(_l("You may only edit your own organisation's services."))
    _check_capacity(capacity, open_slots)
    before = (service.capacity, service.open_slots)
    service.capacity, service.open_slots = capacity, open_slots
    _verified(actor, service)
    db.session.flush()
    record("directory.capacity_updated", actor=actor, obj=service,
           before=list(before), after=[capacity, open_slots])
    return service


def _apply_service(actor, service, data):
    _check_service(data)
    _check_offered(service, data)
    for field in SERVICE_FIELDS:
        if field in data:
            setattr(service, field, data[field])
    service.category = data["category"]
    service.serves_female = "female" in data["sexes"]
    service.serves_male = "male" in data["sexes"]
    service.set_categories(data["categories"])
    service.regions = list(data.get("regions", []))
    service.sites = list(data.get("sites", []))
    primary.apply_children(service, data)
    _verified(actor, service)


def _check_service(data):
    category = data.get("category")
    if category is None or category.taxonomy_id != taxonomy_uuid(SERVICE_CATEGORY):
        raise DomainError(_l("Choose a service category."), field="category")
    low, high = data.get("minimum_age"), data.get("maximum_age")
    if low is not None and high is not None and low > high:
        raise DomainError(_l("The maximum age must not be below the minimum age."),
                          field="maximum_age")
    if not data.get("sexes"):
        raise DomainError(_l("Tick at least one sex."), field="sexes")
    if not data.get("categories"):
        raise DomainError(_l("Tick at least one category of people."), field="categories")
    _check_capacity(data.get("capacity"), data.get("open_slots"))


def _check_offered(service, data):
    """Retired categories and languages stay on the services that have them, and are given to
    no other."""
    if not is_offered_category(data["category"], service.category):
        raise DomainError(_l("This service category is retired: choose another one."),
                          field="category")
    kept = {lang.code for lang in service.languages}
    for code in data.get("languages") or ():
        if not is_language(code, allow_retired=code in kept, services=True):
            raise DomainError(_l("Choose the languages from the list."), field="languages")


def _check_capacity(capacity, open_slots):
    if open_slots is not None and open_slots < 0:
        raise DomainError(_l("Open slots cannot be negative."), field="open_slots")
    if capacity is not None and open_slots is not None and open_slots > capacity:
        raise DomainError(_l("Open slots cannot exceed the capacity."), field="open_slots")


def _verified(actor, service):
    """Whoever saves an entry vouches for it: that is the "last verified" date shown."""
    service.assured_date = today()
    service.assurer_email = getattr(actor, "email", None) or None


# --- API tokens --------------------------------------------------------------------------------
def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_token(actor, label):
    """Returns (token row, the token in clear) — the clear token is never stored."""
    if actor is None or actor.role != Role.ADMIN:
        raise AccessDenied(_l("Only administrators manage API tokens."))
    raw = "icrs_" + secrets.token_urlsafe(32)
    token = ApiToken(label=label, token_hash=hash_token(raw), created_by=actor)
    db.session.add(token)
    db.session.flush()
    record("directory.api_token_created", actor=actor, obj=token)
    return token, raw


def revoke_api_token(actor, token):
    if actor is None or actor.role != Role.ADMIN:
        raise AccessDenied(_l("Only administrators manage API tokens."))
    if token.revoked:
        raise DomainError(_l("This token is already revoked."))
    token.revoked, token.revoked_at = True, utcnow()
    db.session.flush()
    record("directory.api_token_revoked", actor=actor, obj=token)
    return token


def authenticate_token(raw):
    """The live token matching `raw`, its last use stamped; None if unknown or revoked."""
    if not raw:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or token.revoked:
        return None
    token.last_used_at = utcnow()
    db.session.flush()
    return token

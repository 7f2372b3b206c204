"""Who may use which service, and directory search. The referrals matcher reuses
`is_eligible` and `eligible_services_query`.

Conventions: a service with no region or site listed serves the whole country; a region listed
covers all its sites; `None` for age, sex or category means "unknown" and does not filter.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, selectinload

from icrs.core import textsearch
from icrs.core.models import Site
from icrs.directory.details import ServiceLanguage
from icrs.directory.models import (
    Organisation,
    Service,
    ServiceEligibleCategory,
    service_region,
    service_site,
)
from icrs.directory.taxonomy import SERVICE_CATEGORY, term_uuid
from icrs.directory.vocab import PersonCategory, ServiceStatus, Sex


def is_eligible(service, age, sex, category):
    """(True, []) if the person may use the service, else (False, [translated reasons])."""
    reasons = []
    if service.status != ServiceStatus.ACTIVE or not service.organisation.active:
        reasons.append(_l("The service is not active at the moment."))
    if age is not None and service.minimum_age is not None and age < service.minimum_age:
        reasons.append(_l("The minimum age is %(n)s.", n=service.minimum_age))
    if age is not None and service.maximum_age is not None and age > service.maximum_age:
        reasons.append(_l("The maximum age is %(n)s.", n=service.maximum_age))
    if sex is not None and Sex(sex) not in service.sexes:
        reasons.append(_l("The service is for %(sexes)s only.",
                          sexes=", ".join(str(s.label) for s in service.sexes)))
    if category is not None and PersonCategory(category) not in service.categories:
        reasons.append(_l("The service does not accept: %(category)s.",
                          category=PersonCategory(category).label))
    return not reasons, reasons


def eligibility_clauses(age=None, sex=None, category=None):
    """SQL conditions equivalent to the person part of `is_eligible`."""
    clauses = []
    if age is not None:
        clauses += [sa.or_(Service.minimum_age.is_(None), Service.minimum_age <= age),
                    sa.or_(Service.maximum_age.is_(None), Service.maximum_age >= age)]
    if sex is not None:
        clauses.append(Service.serves_female if Sex(sex) == Sex.FEMALE else Service.serves_male)
    if category is not None:
        clauses.append(sa.exists().where(
            ServiceEligibleCategory.service_id == Service.id,
            ServiceEligibleCategory.category == PersonCategory(category)))
    return clauses


def active_clauses():
    return [Service.status == ServiceStatus.ACTIVE,
            Service.organisation_id.in_(sa.select(Organisation.id).where(Organisation.active))]


def _no_areas():
    return sa.and_(~sa.exists().where(service_region.c.service_id == Service.id),
                   ~sa.exists().where(service_site.c.service_id == Service.id))


def serves_region(region_id):
    """The service covers the region, one of its sites, or the whole country."""
    return sa.or_(
        _no_areas(),
        sa.exists().where(service_region.c.service_id == Service.id,
                          service_region.c.region_id == region_id),
        sa.exists().where(service_site.c.service_id == Service.id,
                          service_site.c.site_id == Site.id, Site.region_id == region_id))


def serves_site(site):
    """The service covers this site, its region, or the whole country."""
    return sa.or_(
        _no_areas(),
        sa.exists().where(service_region.c.service_id == Service.id,
                          service_region.c.region_id == site.region_id),
        sa.exists().where(service_site.c.service_id == Service.id,
                          service_site.c.site_id == site.id))


def eligible_services_query(age, sex, category, region_id=None):
    """Select of the active services this person may use (in the region if given), by name."""
    stmt = sa.select(Service).where(*active_clauses(), *eligibility_clauses(age, sex, category))
    if region_id is not None:
        stmt = stmt.where(serves_region(region_id))
    return stmt.order_by(Service.name, Service.id)


@dataclass
class SearchFilters:
    q: str = ""
    category: str | None = None  # taxonomy term code
    region_id: int | None = None
    site: Site | None = None
    language: str | None = None
    open_only: bool = False
    age: int | None = None
    sex: str | None = None
    person_category: str | None = None
    include_inactive: bool = False
    organisation_id: object = None


def has_open_capacity():
    """Open slots left, or no capacity limit recorded."""
    return sa.or_(Service.open_slots.is_(None), Service.open_slots > 0)


def search_services(f: SearchFilters):
    """Select of services matching the directory search form."""
    stmt = sa.select(Service).join(Service.organisation)
    if not f.include_inactive:
        stmt = stmt.where(*active_clauses())
    stmt = stmt.where(*eligibility_clauses(f.age, f.sex, f.person_category))
    if f.q:
        stmt = stmt.where(sa.or_(*(textsearch.contains(col, f.q) for col in
                                   (Service.name, Service.description, Organisation.name))))
    if f.category:
        stmt = stmt.where(Service.category_id == term_uuid(SERVICE_CATEGORY, f.category))
    if f.site is not None:
        stmt = stmt.where(serves_site(f.site))
    elif f.region_id is not None:
        stmt = stmt.where(serves_region(f.region_id))
    if f.language:
        stmt = stmt.where(sa.exists().where(ServiceLanguage.service_id == Service.id,
                                            ServiceLanguage.code == f.language))
    if f.open_only:
        stmt = stmt.where(has_open_capacity())
    if f.organisation_id is not None:
        stmt = stmt.where(Service.organisation_id == f.organisation_id)
    # what the list and the export show of each service, loaded for the whole page at once
    return stmt.options(contains_eager(Service.organisation), selectinload(Service.category),
                        selectinload(Service.regions), selectinload(Service.sites)) \
        .order_by(Service.name, Service.id)

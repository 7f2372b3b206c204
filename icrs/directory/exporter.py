"""Whole-directory exports: the HSDS 3.0 exchange file and a flat CSV for spreadsheets.

Exchange file format (JSON object, UTF-8):
  format          "icrs-hsds-directory", format_version 1, hsds_version "3.0", exported_at (UTC)
  taxonomies      [HSDS taxonomy]        all taxonomies in the directory
  taxonomy_terms  [HSDS taxonomy_term]   all their terms
  organizations   [HSDS organization]    with phones, locations (+ address), attributes (type,
                                         regions served, inactive flag); no nested services
  services        [HSDS service]         fully nested (phones, schedules, service_areas,
                                         service_at_locations + location, languages,
                                         cost_options, required_documents, contacts,
                                         attributes), linked by organization_id
Every service is exported whatever its status (HSDS `status` says whether it is open), so a
partner learns when a service closes. The importer reads the same format.
"""
import csv
import io

import sqlalchemy as sa

from icrs.core.timeutil import utcnow
from icrs.directory.hsds import (
    HSDS_VERSION,
    organization_to_hsds,
    service_to_hsds,
    taxonomy_to_hsds,
    term_to_hsds,
)
from icrs.directory.models import Organisation, Service, Taxonomy, TaxonomyTerm
from icrs.extensions import db

FORMAT = "icrs-hsds-directory"


def export_directory(lang="en"):
    taxonomies = db.session.scalars(sa.select(Taxonomy).order_by(Taxonomy.code)).all()
    terms = db.session.scalars(sa.select(TaxonomyTerm).join(TaxonomyTerm.taxonomy)
                               .order_by(Taxonomy.code, TaxonomyTerm.position,
                                         TaxonomyTerm.code)).all()
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    services = db.session.scalars(sa.select(Service).order_by(Service.name, Service.id)).all()
    return {
        "format": FORMAT, "format_version": 1, "hsds_version": HSDS_VERSION,
        "exported_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        "taxonomies": [taxonomy_to_hsds(t) for t in taxonomies],
        "taxonomy_terms": [term_to_hsds(t, lang) for t in terms],
        "organizations": [organization_to_hsds(o, lang, services=None) for o in orgs],
        "services": [service_to_hsds(s, lang, nested_org=False) for s in services],
    }


CSV_HEADER = ["service_id", "service", "organisation", "category", "status", "regions", "sites",
              "minimum_age", "maximum_age", "sexes", "person_categories", "languages",
              "capacity", "open_slots", "referral_method", "response_time_hours", "phone",
              "email", "last_verified"]


def _cell(value):
    """Neutralise spreadsheet formulas (CSV injection) in free text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(s):
    return [s.id, s.name, s.organisation.name, s.category.code, s.status.value,
            " ".join(r.code for r in s.regions), " ".join(x.code for x in s.sites),
            s.minimum_age, s.maximum_age, " ".join(x.value for x in s.sexes),
            " ".join(c.value for c in s.categories), " ".join(lg.code for lg in s.languages),
            s.capacity, s.open_slots, s.referral_method.value, s.response_time_hours,
            s.phones[0].number if s.phones else "", s.email, s.assured_date]


def export_csv(stmt=None):
    stmt = stmt if stmt is not None else sa.select(Service).order_by(Service.name, Service.id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for service in db.session.scalars(stmt):
        writer.writerow([_cell(v) for v in _row(service)])
    return out.getvalue()

"""Import an HSDS 3.0 directory file (the export format, see exporter.py) in one transaction.

Every record is checked first (HSDS schema, references, ICRS rules); each problem is reported
with its JSON path. With any problem nothing is written, unless `skip_invalid` is set, in which
case the valid organisations and services (whose organisation is valid) are imported. Records are
matched by id: existing ones are updated, new ones created; nothing is deleted.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from icrs.audit.services import record
from icrs.core.fields import parse_uuid
from icrs.core.models import Region, Site
from icrs.directory.details import Location
from icrs.directory.models import (
    Organisation,
    OrganisationType,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from icrs.directory.schemas import schema_errors
from icrs.directory.taxonomy import (
    PERSON_CATEGORY,
    PROPERTY,
    SERVICE_CATEGORY,
    SEX,
    ensure_taxonomy,
    taxonomy_uuid,
)
from icrs.directory.urls import is_web_url
from icrs.directory.vocab import PersonCategory, ReferralMethod
from icrs.extensions import db

AREA_RE = re.compile(r"^urn:icrs:(region|site):([A-Za-z0-9_-]+)$")
INT_PROPERTIES = ("capacity", "open_slots", "response_time_hours")


class InvalidRecord(Exception):
    """One record refused; `errors` lists its problems as (json path, reason)."""

    def __init__(self, path, reason, errors=None):
        self.errors = errors or [(path, reason)]
        super().__init__("; ".join(f"{p}: {r}" for p, r in self.errors))


@dataclass
class ImportResult:
    organisations: int = 0
    services: int = 0
    errors: list = field(default_factory=list)  # [(json path, reason)]

    @property
    def ok(self):
        return not self.errors


def import_directory(data, actor=None, skip_invalid=False, taxonomy_map=None):
    """Validate then load; flushes, never commits. With errors and not skip_invalid: writes
    nothing and returns the errors. Third-party shapes and taxonomies: see interop.py."""
    from icrs.directory.interop import apply_taxonomy_map, as_exchange

    result = ImportResult()
    data = apply_taxonomy_map(as_exchange(data), taxonomy_map)
    if not isinstance(data, dict) or not isinstance(data.get("services"), list) \
            or not isinstance(data.get("organizations"), list):
        result.errors.append(("$", "expected an object with 'organizations' and 'services' lists"))
        return result
    ensure_taxonomy()
    ctx = _Context()
    terms = [_check(result, ctx.parse_term, t, f"$.taxonomy_terms[{i}]")
             for i, t in enumerate(data.get("taxonomy_terms") or [])]
    orgs = [_check(result, ctx.parse_organisation, o, f"$.organizations[{i}]")
            for i, o in enumerate(data["organizations"])]
    services = [_check(result, ctx.parse_service, s, f"$.services[{i}]")
                for i, s in enumerate(data["services"])]
    if result.errors and not skip_invalid:
        return result
    ctx.load_terms([t for t in terms if t])
    result.organisations = sum(1 for o in orgs if o and ctx.load_organisation(o))
    result.services = sum(1 for s in services if s and ctx.load_service(s))
    db.session.flush()
    record("directory.imported", actor=actor, organisations=result.organisations,
           services=result.services, rejected=len(result.errors))
    return result


def _check(result, parse, obj, path):
    try:
        return parse(obj, path)
    except InvalidRecord as exc:
        result.errors.extend(exc.errors)
        return None


def _uuid(value):
    return parse_uuid(value, strict=True)


class _Context:
    """What the file defines so far (valid organisations, locations) plus the database."""

    def __init__(self):
        self.org_ids = {}  # id -> name, valid organisations of the file
        self.locations = {}  # id -> parsed location dict
        self.terms = {t.id: t for t in db.session.scalars(sa.select(TaxonomyTerm))}
        self.taxonomy_ids = set(db.session.scalars(sa.select(Taxonomy.id)))
        self.regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
        self.sites = {s.code: s for s in db.session.scalars(sa.select(Site))}

    # --- parsing (no writes) -------------------------------------------------------------------
    def parse_term(self, obj, path):
        _schema(obj, "taxonomy_term", path)
        tid = _uuid(obj["id"])
        if tid in self.terms:
            return None
        tax_id = obj.get("taxonomy_id")
        if not tax_id or _uuid(tax_id) not in self.taxonomy_ids:
            raise InvalidRecord(f"{path}.taxonomy_id", "unknown taxonomy")
        return obj

    def parse_organisation(self, obj, path):
        _schema(obj, "organization", path)
        oid = _uuid(obj["id"])
        if oid in self.org_ids or obj["name"] in self.org_ids.values():
            raise InvalidRecord(path, "duplicate organization id or name in the file")
        clash = db.session.scalar(sa.select(Organisation.id).where(
            Organisation.name == obj["name"], Organisation.id != oid))
        if clash:
            raise InvalidRecord(f"{path}.name", "another organisation already has this name")
        _web_address(obj, "website", path)
        parsed = {"obj": obj, "type": OrganisationType.NGO, "regions": [], "active": True}
        for j, attr in enumerate(obj.get("attributes") or []):
            self._org_attribute(parsed, attr, f"{path}.attributes[{j}]")
        for loc in obj.get("locations") or []:
            self.locations[_uuid(loc["id"])] = dict(loc, organization_id=str(oid))
        self.org_ids[oid] = obj["name"]
        return parsed

    def _org_attribute(self, parsed, attr, path):
        t = self._term_of(attr)
        if t is None or t.taxonomy_id != taxonomy_uuid(PROPERTY):
            return
        value = attr.get("value") or ""
        if t.code == "organisation_type":
            parsed["type"] = _enum(OrganisationType, value, f"{path}.value")
        elif t.code == "region_served":
            if value not in self.regions:
                raise InvalidRecord(f"{path}.value", f"unknown region code {value!r}")
            parsed["regions"].append(self.regions[value])
        elif t.code == "organisation_active":
            parsed["active"] = value.lower() != "false"

    def parse_service(self, obj, path):
        _schema(obj, "service", path)
        oid = obj.get("organization_id") or (obj.get("organization") or {}).get("id")
        if not oid:
            raise InvalidRecord(f"{path}.organization_id", "a service needs its organization")
        oid = _uuid(oid)
        if oid not in self.org_ids and db.session.get(Organisation, oid) is None:
            raise InvalidRecord(f"{path}.organization_id", "unknown or invalid organization")
        _web_address(obj, "url", path)
        parsed = {"obj": obj, "organisation_id": oid, "category": None, "sexes": set(),
                  "categories": set(), "props": {}, "regions": [], "sites": []}
        for j, attr in enumerate(obj.get("attributes") or []):
            self._service_attribute(parsed, attr, f"{path}.attributes[{j}]")
        if parsed["category"] is None:
            raise InvalidRecord(f"{path}.attributes",
                                "no ICRS service category (attribute with a term of "
                                f"taxonomy {SERVICE_CATEGORY}); map other taxonomies with "
                                "--taxonomy-map")
        self._check_retired_category(obj, parsed["category"], path)
        low, high = obj.get("minimum_age"), obj.get("maximum_age")
        if low is not None and high is not None and low > high:
            raise InvalidRecord(f"{path}.maximum_age", "below minimum_age")
        if parsed["props"].get("open_slots") is not None and \
                parsed["props"].get("capacity") is not None and \
                parsed["props"]["open_slots"] > parsed["props"]["capacity"]:
            raise InvalidRecord(f"{path}.attributes", "open_slots exceeds capacity")
        try:
            parse_date(obj.get("assured_date"))
        except ValueError:
            raise InvalidRecord(f"{path}.assured_date", "expected a date YYYY-MM-DD") from None
        for j, area in enumerate(obj.get("service_areas") or []):
            self._area(parsed, area, f"{path}.service_areas[{j}]")
        self._check_children(obj, path)
        return parsed

    def _check_retired_category(self, obj, category, path):
        """A retired category stays on the service that has it, and is given to no other."""
        if category.active is not False:  # a term of this file is not flushed yet
            return
        try:
            existing = db.session.get(Service, _uuid(obj.get("id")))
        except (ValueError, TypeError):
            existing = None
        if existing is None or existing.category_id != category.id:
            raise InvalidRecord(f"{path}.attributes",
                                f"ICRS service category {category.code!r} is retired: it is "
                                "given to no new service; choose an active one")

    def _service_attribute(self, parsed, attr, path):
        t = self._term_of(attr)
        if t is None:
            return
        tax = t.taxonomy_id
        if tax == taxonomy_uuid(SERVICE_CATEGORY):
            parsed["category"] = t
        elif tax == taxonomy_uuid(SEX):
            parsed["sexes"].add(t.code)
        elif tax == taxonomy_uuid(PERSON_CATEGORY):
            parsed["categories"].add(PersonCategory(t.code))
        elif tax == taxonomy_uuid(PROPERTY):
            parsed["props"][t.code] = _property(t.code, attr.get("value"), f"{path}.value")

    def _term_of(self, attr):
        tid = attr.get("taxonomy_term_id") or (attr.get("taxonomy_term") or {}).get("id")
        try:
            return self.terms.get(_uuid(tid)) if tid else None
        except ValueError:
            return None

    def _area(self, parsed, area, path):
        match = AREA_RE.match(area.get("uri") or "")
        if not match:
            return  # not one of our places (e.g. a geojson extent): not mapped
        kind, code = match.groups()
        places = self.regions if kind == "region" else self.sites
        if code not in places:
            raise InvalidRecord(f"{path}.uri", f"unknown {kind} code {code!r}")
        parsed["regions" if kind == "region" else "sites"].append(places[code])

    def _check_children(self, obj, path):
        for j, lang in enumerate(obj.get("languages") or []):
            if not lang.get("code"):
                raise InvalidRecord(f"{path}.languages[{j}].code", "language code required")
        for j, doc in enumerate(obj.get("required_documents") or []):
            if not doc.get("document"):
                raise InvalidRecord(f"{path}.required_documents[{j}].document", "required")
        for j, sch in enumerate(obj.get("schedules") or []):
            if sch.get("freq", "WEEKLY") != "WEEKLY":
                raise InvalidRecord(f"{path}.schedules[{j}].freq", "only WEEKLY is supported")
        for j, sal in enumerate(obj.get("service_at_locations") or []):
            loc = sal.get("location")
            lid = sal.get("location_id") or (loc or {}).get("id")
            if not lid:
                raise InvalidRecord(f"{path}.service_at_locations[{j}].location_id", "required")
            if loc:
                self.locations.setdefault(_uuid(loc["id"]), dict(
                    loc, organization_id=loc.get("organization_id") or obj["organization_id"]))
            elif _uuid(lid) not in self.locations and not db.session.get(Location, _uuid(lid)):
                raise InvalidRecord(f"{path}.service_at_locations[{j}].location_id",
                                    "unknown location")

    # --- loading -------------------------------------------------------------------------------
    def load_terms(self, terms):
        for t in terms:
            term = TaxonomyTerm(id=_uuid(t["id"]), taxonomy_id=_uuid(t["taxonomy_id"]),
                                code=t.get("code") or t["name"][:64], name_fr=t["name"],
                                name_en=t["name"], description_fr=t["description"],
                                description_en=t["description"])
            db.session.add(term)
            self.terms[term.id] = term

    def load_organisation(self, parsed):
        from icrs.directory.loader import load_organisation
        return load_organisation(parsed, self)

    def load_service(self, parsed):
        from icrs.directory.loader import load_service
        return load_service(parsed, self)


def _web_address(obj, key, path):
    if obj.get(key) and not is_web_url(obj[key]):
        raise InvalidRecord(f"{path}.{key}", "only http:// and https:// addresses are accepted")


def _schema(obj, name, path):
    if not isinstance(obj, dict):
        raise InvalidRecord(path, "expected an object")
    errors = schema_errors(obj, name, path)
    if errors:
        raise InvalidRecord(None, None, errors)


def _enum(enum_cls, value, path):
    try:
        return enum_cls(value)
    except ValueError:
        raise InvalidRecord(path, f"{value!r} is not one of {[m.value for m in enum_cls]}") \
            from None


def _property(code, value, path):
    if code in INT_PROPERTIES:
        if value is None or not str(value).isdigit():
            raise InvalidRecord(path, f"{code} must be a whole number")
        return int(value)
    if code == "referral_method":
        return _enum(ReferralMethod, value, path)
    return value


def parse_date(value):
    return date.fromisoformat(value) if value else None


def parse_datetime(value):
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


"""Serialise the directory as HSDS 3.0 objects (API responses and the export file).

ICRS facts without an HSDS field travel as `attributes` linked to terms of the ICRS taxonomies
(service category, eligible sexes and person categories, capacity …, see taxonomy.py); areas
served are `service_areas` whose `uri` is `urn:icrs:region:<code>` or `urn:icrs:site:<code>`.
Identifiers of derived records (attributes, areas, addresses) are UUIDv5 of their parent, so
the same directory always gives the same file.
"""
import uuid

from icrs.directory.taxonomy import NAMESPACE, PERSON_CATEGORY, PROPERTY, SEX, term
from icrs.directory.vocab import ServiceStatus

HSDS_VERSION = "3.0"
PROFILE = "https://docs.openreferral.org/en/3.0/hsds/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
AREA_URN = "urn:icrs:{kind}:{code}"


def derived_id(parent_id, *parts):
    return str(uuid.uuid5(NAMESPACE, ":".join([str(parent_id), *map(str, parts)])))


def _by(records, attr):
    """Stable order whether the collection was just built or loaded (id breaks ties)."""
    return sorted(records, key=lambda r: (str(getattr(r, attr) or ""), str(r.id)))


def _clean(d):
    return {k: v for k, v in d.items() if v is not None}


def _iso_datetime(value):
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


# --- taxonomy ----------------------------------------------------------------------------------
def taxonomy_to_hsds(taxonomy):
    return _clean({"id": str(taxonomy.id), "name": taxonomy.name,
                   "description": taxonomy.description, "uri": taxonomy.uri,
                   "version": taxonomy.version})


def term_to_hsds(t, lang="en"):
    fr = lang == "fr"
    return _clean({
        "id": str(t.id), "code": t.code,
        "name": t.name_fr if fr else t.name_en,
        "description": (t.description_fr if fr else t.description_en) or "",
        "parent_id": str(t.parent_id) if t.parent_id else None,
        "taxonomy": t.taxonomy.name, "taxonomy_id": str(t.taxonomy_id), "language": lang,
    })


def _attribute(link_id, entity, link_type, t, lang, value=None):
    key = t.code if value is None else f"{t.code}={value}"
    return _clean({"id": derived_id(link_id, "attribute", link_type, key),
                   "link_id": str(link_id), "link_type": link_type, "link_entity": entity,
                   "taxonomy_term_id": str(t.id), "taxonomy_term": term_to_hsds(t, lang),
                   "value": value})


def service_attributes(service, lang="en"):
    sid = service.id
    attrs = [_attribute(sid, "service", "service_category", service.category, lang)]
    attrs += [_attribute(sid, "service", "eligible_sex", term(SEX, s.value), lang)
              for s in service.sexes]
    attrs += [_attribute(sid, "service", "eligible_person_category",
                         term(PERSON_CATEGORY, c.value), lang) for c in service.categories]
    for code in ("capacity", "open_slots", "referral_method", "response_time_hours"):
        value = getattr(service, code)
        if value is not None:
            attrs.append(_attribute(sid, "service", "icrs_property", term(PROPERTY, code), lang,
                                    str(value)))
    return attrs


# --- organisations -----------------------------------------------------------------------------
def phone_to_hsds(phone):
    return _clean({"id": str(phone.id), "number": phone.number, "type": phone.type,
                   "description": phone.description,
                   "service_id": str(phone.service_id) if phone.service_id else None,
                   "organization_id": str(phone.organisation_id) if phone.organisation_id
                   else None})


def location_to_hsds(location):
    out = _clean({"id": str(location.id), "location_type": "physical",
                  "organization_id": str(location.organisation_id), "name": location.name,
                  "description": location.description, "latitude": location.latitude,
                  "longitude": location.longitude})
    if location.address_1 or location.city:
        out["addresses"] = [{
            "id": derived_id(location.id, "address"), "location_id": str(location.id),
            "address_1": location.address_1 or "", "city": location.city or "",
            "state_province": location.state_province or "",
            "postal_code": location.postal_code or "", "country": location.country,
            "address_type": "physical"}]
    return out


def organization_to_hsds(org, lang="en", services="ids", detail=True):
    """`detail` False gives the one-to-one fields only (list view); `services` is "ids" (brief
    entries), "full" (nested services) or None (no services key, as in the export file)."""
    out = _clean({"id": str(org.id), "name": org.name, "alternate_name": org.alternate_name,
                  "description": org.description or "", "email": org.email,
                  "website": org.website})
    if not detail:
        return out
    attrs = [_attribute(org.id, "organization", "icrs_property", term(PROPERTY,
                                                                      "organisation_type"),
                        lang, org.type.value)]
    attrs += [_attribute(org.id, "organization", "icrs_property", term(PROPERTY, "region_served"),
                         lang, r.code) for r in _by(org.regions, "code")]
    if not org.active:
        attrs.append(_attribute(org.id, "organization", "icrs_property",
                                term(PROPERTY, "organisation_active"), lang, "false"))
    out.update(phones=[phone_to_hsds(p) for p in _by(org.phones, "number")],
               locations=[location_to_hsds(loc) for loc in _by(org.locations, "name")],
               contacts=[], funding=[], programs=[], organization_identifiers=[],
               attributes=attrs, metadata=[])
    if services is None:
        return out
    if services == "full":
        out["services"] = [service_to_hsds(s, lang, nested_org=False)
                           for s in _by(org.services, "name")]
    else:
        out["services"] = [{"id": str(s.id), "name": s.name, "status": s.status.hsds}
                           for s in _by(org.services, "name")]
    return out


# --- services ----------------------------------------------------------------------------------
def _area(service, kind, place, lang):
    return {"id": derived_id(service.id, "area", kind, place.code), "service_id": str(service.id),
            "name": place.name_fr if lang == "fr" else place.name_en,
            "description": kind, "extent_type": "text",
            "extent": place.name_fr if lang == "fr" else place.name_en,
            "uri": AREA_URN.format(kind=kind, code=place.code)}


def _contact(contact):
    out = _clean({"id": str(contact.id), "service_id": str(contact.service_id),
                  "name": contact.name, "title": contact.title,
                  "department": contact.department, "email": contact.email})
    if contact.phone:
        out["phones"] = [{"id": derived_id(contact.id, "phone"), "contact_id": str(contact.id),
                          "number": contact.phone}]
    return out


def _schedule(s):
    return _clean({"id": str(s.id), "service_id": str(s.service_id), "freq": s.freq,
                   "wkst": "MO", "byday": s.byday or None, "opens_at": s.opens_at,
                   "closes_at": s.closes_at, "description": s.description})


def service_to_hsds(service, lang="en", nested_org=True, full=True):
    out = _clean({
        "id": str(service.id), "organization_id": str(service.organisation_id),
        "name": service.name, "alternate_name": service.alternate_name,
        "description": service.description, "url": service.url, "email": service.email,
        "status": _status(service), "interpretation_services": service.interpretation_services,
        "application_process": service.application_process,
        "fees_description": service.fees_description,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "assurer_email": service.assurer_email, "alert": service.alert,
        "last_modified": _iso_datetime(service.updated_at),
    })
    if nested_org:
        out["organization"] = organization_to_hsds(service.organisation, lang, detail=False)
    if not full:
        return out
    sid = str(service.id)
    out.update(
        phones=[phone_to_hsds(p) for p in _by(service.phones, "number")],
        schedules=[_schedule(s) for s in _by(service.schedules, "byday")],
        service_areas=[_area(service, "region", r, lang) for r in _by(service.regions, "code")]
        + [_area(service, "site", s, lang) for s in _by(service.sites, "code")],
        service_at_locations=[_clean({"id": str(sal.id), "service_id": sid,
                                      "location_id": str(sal.location_id),
                                      "description": sal.description,
                                      "location": location_to_hsds(sal.location)})
                              for sal in _by(service.service_at_locations, "id")],
        languages=[_clean({"id": str(lang_.id), "service_id": sid, "name": lang_.name,
                           "code": lang_.code, "note": lang_.note})
                   for lang_ in _by(service.languages, "code")],
        funding=[],
        cost_options=[_clean({"id": str(c.id), "service_id": sid, "option": c.option,
                              "amount": c.amount, "currency": c.currency,
                              "amount_description": c.amount_description})
                      for c in _by(service.cost_options, "option")],
        required_documents=[_clean({"id": str(d.id), "service_id": sid,
                                    "document": d.document, "uri": d.uri})
                            for d in _by(service.required_documents, "document")],
        contacts=[_contact(c) for c in _by(service.contacts, "name")],
        attributes=service_attributes(service, lang),
        metadata=[],
    )
    return out


def service_minimal(service):
    """`?minimal=true`: what an incremental sync compares (id and modification time)."""
    return {"id": str(service.id), "last_modified": _iso_datetime(service.updated_at)}


def service_at_location_to_hsds(sal, lang="en", full=False):
    """One service at one location; `full` nests the whole service (its organisation brief)."""
    out = _clean({"id": str(sal.id), "service_id": str(sal.service_id),
                  "location_id": str(sal.location_id), "description": sal.description,
                  "location": location_to_hsds(sal.location)})
    out["service"] = service_to_hsds(sal.service, lang, full=full)
    if full:
        out.update(contacts=[], phones=[], schedules=[], attributes=[], metadata=[])
    return out


def _status(service):
    return service.status.hsds if isinstance(service.status, ServiceStatus) else service.status


# --- API envelope ------------------------------------------------------------------------------
def page_envelope(contents, page_number, size, total):
    total_pages = max(1, -(-total // size)) if size else 1
    return {"total_items": total, "total_pages": total_pages, "page_number": page_number,
            "size": size, "first_page": page_number == 1,
            "last_page": page_number >= total_pages, "empty": not contents,
            "contents": contents}


def api_root():
    return {"version": HSDS_VERSION, "profile": PROFILE, "openapi_url": OPENAPI_URL}

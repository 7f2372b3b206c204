"""Write parsed HSDS records (from importer.py) into the models, upserting by id."""
from icrs.core.vocab import canonical_language
from icrs.directory.details import (
    Contact,
    CostOption,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    ServiceAtLocation,
    ServiceLanguage,
)
from icrs.directory.importer import _uuid, parse_date, parse_datetime
from icrs.directory.models import Organisation, Service
from icrs.directory.vocab import PersonCategory, ServiceStatus
from icrs.extensions import db


def _get_or_new(model, id_):
    obj = db.session.get(model, id_)
    if obj is None:
        obj = model(id=id_)
        db.session.add(obj)
    return obj


def load_organisation(parsed, ctx):
    obj = parsed["obj"]
    org = _get_or_new(Organisation, _uuid(obj["id"]))
    org.name, org.description = obj["name"], obj.get("description") or ""
    org.alternate_name, org.email = obj.get("alternate_name"), obj.get("email")
    org.website, org.type = obj.get("website"), parsed["type"]
    org.regions, org.active = parsed["regions"], parsed["active"]
    org.phones = [_phone(p) for p in obj.get("phones") or []]
    for loc in obj.get("locations") or []:
        _location(loc, org.id)
    db.session.flush()
    return org


def _phone(p):
    phone = db.session.get(Phone, _uuid(p["id"])) or Phone(id=_uuid(p["id"]))
    phone.number, phone.type, phone.description = p["number"], p.get("type"), p.get("description")
    return phone


def _location(loc, organisation_id):
    location = _get_or_new(Location, _uuid(loc["id"]))
    location.organisation_id = organisation_id
    location.name = loc.get("name") or ""
    location.description = loc.get("description")
    location.latitude, location.longitude = loc.get("latitude"), loc.get("longitude")
    address = (loc.get("addresses") or [{}])[0]
    location.address_1 = address.get("address_1") or None
    location.city = address.get("city") or None
    location.state_province = address.get("state_province") or None
    location.postal_code = address.get("postal_code") or None
    location.country = (address.get("country") or "CM")[:2]
    return location


def load_service(parsed, ctx):
    obj = parsed["obj"]
    service = _get_or_new(Service, _uuid(obj["id"]))
    service.organisation_id = parsed["organisation_id"]
    _scalars(service, obj, parsed)
    service.category = parsed["category"]
    sexes = parsed["sexes"] or {"female", "male"}
    service.serves_female, service.serves_male = "female" in sexes, "male" in sexes
    service.set_categories(sorted(parsed["categories"] or set(PersonCategory)))
    service.regions, service.sites = parsed["regions"], parsed["sites"]
    _children(service, obj, ctx)
    if obj.get("last_modified"):
        service.updated_at = parse_datetime(obj["last_modified"])
        service.created_at = service.created_at or service.updated_at
    db.session.flush()
    return service


def _scalars(service, obj, parsed):
    for name in ("name", "alternate_name", "url", "email", "alert", "interpretation_services",
                 "fees_description", "minimum_age", "maximum_age", "assurer_email"):
        setattr(service, name, obj.get(name))
    service.description = obj.get("description") or ""
    service.application_process = obj.get("application_process") or ""
    service.eligibility_description = obj.get("eligibility_description") or ""
    service.status = ServiceStatus.from_hsds(obj["status"])
    service.assured_date = parse_date(obj.get("assured_date"))
    props = parsed["props"]
    service.capacity, service.open_slots = props.get("capacity"), props.get("open_slots")
    service.response_time_hours = props.get("response_time_hours")
    if props.get("referral_method"):
        service.referral_method = props["referral_method"]


def _children(service, obj, ctx):
    service.phones = [_phone(p) for p in obj.get("phones") or []]
    service.schedules = [_child(Schedule, s, freq="WEEKLY", byday=s.get("byday") or "",
                                opens_at=s.get("opens_at"), closes_at=s.get("closes_at"),
                                description=s.get("description"))
                         for s in obj.get("schedules") or []]
    languages = {}
    for lg in obj.get("languages") or []:  # a legacy code (pcm) may repeat its current one
        languages.setdefault(canonical_language(lg["code"]), lg)
    service.languages = [_child(ServiceLanguage, lg, code=code, name=lg.get("name") or "",
                                note=lg.get("note")) for code, lg in languages.items()]
    service.cost_options = [_child(CostOption, c, option=c.get("option") or "",
                                   amount=c.get("amount"), currency=c.get("currency"),
                                   amount_description=c.get("amount_description"))
                            for c in obj.get("cost_options") or []]
    service.required_documents = [_child(RequiredDocument, d, document=d["document"],
                                         uri=d.get("uri"))
                                  for d in obj.get("required_documents") or []]
    service.contacts = [_child(Contact, c, name=c.get("name") or "", title=c.get("title"),
                               department=c.get("department"), email=c.get("email"),
                               phone=((c.get("phones") or [{}])[0]).get("number"))
                        for c in obj.get("contacts") or []]
    service.service_at_locations = [_service_at_location(sal, service, ctx)
                                    for sal in obj.get("service_at_locations") or []]


def _child(model, record, **values):
    child = db.session.get(model, _uuid(record["id"])) or model(id=_uuid(record["id"]))
    for key, value in values.items():
        setattr(child, key, value)
    return child


def _service_at_location(sal, service, ctx):
    lid = _uuid(sal.get("location_id") or sal["location"]["id"])
    location = db.session.get(Location, lid)
    if location is None:
        loc = ctx.locations[lid]
        location = _location(loc, _uuid(loc.get("organization_id") or service.organisation_id))
    return _child(ServiceAtLocation, sal, location=location, description=sal.get("description"))

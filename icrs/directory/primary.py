"""The edit form shows one "primary" phone, contact, schedule, address and the document list;
these helpers map them onto the HSDS child records (other records, e.g. imported, stay)."""
from icrs.directory.details import (
    Contact,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    ServiceAtLocation,
    ServiceLanguage,
)
from icrs.directory.vocab import language_name

CHILD_KEYS = ("phone", "contact_name", "contact_title", "contact_email", "contact_phone",
              "schedule_days", "opens_at", "closes_at", "schedule_description", "address_1",
              "city", "languages", "required_documents")


def snapshot(service, fields):
    snap = {f: getattr(service, f) for f in fields}
    snap.update(category=service.category_id, sexes=service.sexes,
                categories=service.categories, organisation=service.organisation_id,
                regions=sorted(r.id for r in service.regions),
                sites=sorted(s.id for s in service.sites))
    snap.update(form_values(service))
    return snap


def form_values(service):
    """The primary child values as the edit form shows them."""
    phone = service.phones[0] if service.phones else None
    contact = service.contacts[0] if service.contacts else None
    schedule = service.schedules[0] if service.schedules else None
    location = service.service_at_locations[0].location if service.service_at_locations else None
    return {
        "phone": phone.number if phone else None,
        "contact_name": contact.name if contact else None,
        "contact_title": contact.title if contact else None,
        "contact_email": contact.email if contact else None,
        "contact_phone": contact.phone if contact else None,
        "schedule_days": schedule.byday.split(",") if schedule and schedule.byday else [],
        "opens_at": schedule.opens_at if schedule else None,
        "closes_at": schedule.closes_at if schedule else None,
        "schedule_description": schedule.description if schedule else None,
        "address_1": location.address_1 if location else None,
        "city": location.city if location else None,
        "languages": [lang.code for lang in service.languages],
        "required_documents": [d.document for d in service.required_documents],
    }


def apply_children(service, data):
    if "phone" in data:
        _set_first(service.phones, data["phone"], lambda: Phone(type="voice"),
                   number=data["phone"])
    if "contact_name" in data:
        _set_first(service.contacts, data["contact_name"] or data.get("contact_email"),
                   Contact, name=data["contact_name"] or "", title=data.get("contact_title"),
                   email=data.get("contact_email"), phone=data.get("contact_phone"))
    if "schedule_days" in data:
        has = data["schedule_days"] or data.get("opens_at") or data.get("schedule_description")
        _set_first(service.schedules, has, Schedule, freq="WEEKLY",
                   byday=",".join(data["schedule_days"]), opens_at=data.get("opens_at"),
                   closes_at=data.get("closes_at"), description=data.get("schedule_description"))
    if "address_1" in data:
        _set_location(service, data["address_1"], data.get("city"))
    if "languages" in data:
        _set_languages(service, data["languages"])
    if "required_documents" in data:
        _set_documents(service, data["required_documents"])


def _set_first(collection, present, factory, **values):
    """Update the first record, create it, or remove it when the form left it empty."""
    if not present:
        if collection:
            collection.pop(0)
        return
    if not collection:
        collection.append(factory())
    for key, value in values.items():
        setattr(collection[0], key, value)


def _set_location(service, address_1, city):
    links = service.service_at_locations
    if not address_1 and not city:
        if links:
            links.pop(0)
        return
    if not links:
        location = Location(organisation=service.organisation, country="CM")
        links.append(ServiceAtLocation(location=location))
    location = links[0].location
    location.address_1, location.city = address_1, city
    location.name = location.name or ", ".join(filter(None, [service.organisation.name, city]))


def _set_languages(service, codes):
    existing = {lang.code: lang for lang in service.languages}
    service.languages = [existing.get(code) or ServiceLanguage(code=code,
                                                               name=language_name(code))
                         for code in codes]


def _set_documents(service, documents):
    existing = {d.document: d for d in service.required_documents}
    service.required_documents = [existing.get(doc) or RequiredDocument(document=doc)
                                  for doc in documents]


def set_org_phone(org, number):
    _set_first(org.phones, number, lambda: Phone(type="voice"), number=number)

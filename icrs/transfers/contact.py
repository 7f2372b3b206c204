"""Contact requests about a possible duplicate at another site. The duplicate check
(icrs.people.duplicates) hands the registering caseworker one sealed token per match outside
their scope: it names the case only to the server, and only for that caseworker. With it they
may send a message to that case's owner (its caseworker and its region's supervisors), who gets
the requester's name, site and e-mail and their own case's number. The requester learns nothing
more than the notice told them: the answer is the same whatever the token names."""
import uuid

from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import DomainError
from icrs.extensions import db
from icrs.people.duplicates import open_contact_token, site_supervisors
from icrs.people.models import Person
from icrs.transfers import notify
from icrs.transfers.models import DuplicateContact

MAX_TEXT = 2000


def matched_person(actor, token):
    """The case a token names, or None (altered, someone else's, erased, merged)."""
    person_id = open_contact_token(actor, token)
    person = db.session.get(Person, uuid.UUID(person_id)) if person_id else None
    if person is None or person.is_erased or person.is_merged:
        return None
    return person


def send_contact(actor, token, message) -> DuplicateContact:
    person = matched_person(actor, token)
    if person is None:
        raise DomainError(_l("This contact link is no longer valid: run the duplicate check "
                             "again."))
    message = (message or "").strip()
    if not message:
        raise DomainError(_l("Write a message."), "message")
    if len(message) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), "message")
    req = DuplicateContact(person_id=person.id, requested_by_id=actor.id)
    db.session.add(req)
    req.message = message
    db.session.flush()
    record("transfers.contact_requested", actor=actor, obj=req)
    notify.contact(req, owners(person))
    return req


def owners(person):
    return [u for u in [person.caseworker] + list(site_supervisors(person)) if u is not None]

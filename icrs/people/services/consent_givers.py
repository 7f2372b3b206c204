"""Who may give a consent, by the age today (the form's rule, kept by the service)."""
from flask_babel import lazy_gettext as _l

from icrs.core.errors import DomainError
from icrs.people.models import CaregiverRelationship, ConsentGiver

MAX_NAME = 120


def check_giver(person, given_by, relationship, caregiver_name) -> dict:
    """Who may give a consent, by the age today: an adult themself; for a child, a caregiver
    (relationship and name required) or the child's assent."""
    try:
        giver = ConsentGiver(given_by) if given_by else None
    except ValueError:
        giver = None
    if not person.is_minor:
        if giver not in (None, ConsentGiver.SELF):
            raise DomainError(_l("An adult gives consent themself."), "given_by")
        return {"given_by": ConsentGiver.SELF}
    if giver not in (ConsentGiver.CAREGIVER, ConsentGiver.CHILD_ASSENT):
        raise DomainError(_l("For a child, say who gives this consent: the caregiver or the "
                             "child (assent). Both are needed."), "given_by")
    if giver == ConsentGiver.CHILD_ASSENT:
        return {"given_by": giver}
    try:
        relationship = CaregiverRelationship(relationship).value
    except ValueError:
        raise DomainError(_l("Say how the caregiver is related to the child."),
                          "caregiver_relationship") from None
    name = (caregiver_name or "").strip() or (person.caregiver_name or "").strip()
    if not name:
        raise DomainError(_l("Give the caregiver's name."), "caregiver_name")
    if len(name) > MAX_NAME:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_NAME), "caregiver_name")
    return {"given_by": giver, "caregiver_relationship": relationship, "caregiver_name": name}


def record_consent_of_all(actor, person, purpose, method, service_category=None,
                          relationship="mother", caregiver_name=None):
    """Record what makes `purpose` count for the person today in one go: their own consent
    for an adult; for a child the caregiver's consent, then the child's assent (imports, test
    data and the demo, where both were collected together)."""
    from icrs.people.services.consent import record_consent

    if not person.is_minor:
        return [record_consent(actor, person, purpose, method, service_category=service_category)]
    return [record_consent(actor, person, purpose, method, service_category=service_category,
                           given_by=ConsentGiver.CAREGIVER, caregiver_relationship=relationship,
                           caregiver_name=caregiver_name),
            record_consent(actor, person, purpose, method, service_category=service_category,
                           given_by=ConsentGiver.CHILD_ASSENT)]

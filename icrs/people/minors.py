"""A child's case on the case page: when the child turns 18 (recomputed at each view) and what
changes then, the caregiver's contact, and the best-interest step (icrs.people.best_interest)."""
import datetime as dt

import sqlalchemy as sa

from icrs.extensions import db
from icrs.people import best_interest, signals
from icrs.people.models import CaregiverRelationship, Consent, ConsentGiver


def adulthood(person) -> dict | None:
    """When a minor turns 18: {"date": the day} from a known birth date, else {"year": …}
    (birth year only, or an estimated age); None for an adult or an unknown age."""
    if not person.is_minor:
        return None
    if person.birth_date is not None and not person.birth_date_estimated:
        born = person.birth_date
        try:
            return {"date": born.replace(year=born.year + 18)}
        except ValueError:  # born on 29 February: adult on 1 March
            return {"date": dt.date(born.year + 18, 3, 1)}
    return {"year": person.birth_year + 18} if person.birth_year is not None else None


def caregiver_relationship(person):
    """The label of the relationship the latest caregiver's consent recorded, or None."""
    consent = db.session.scalar(sa.select(Consent).where(
        Consent.person_id == person.id, Consent.given_by == ConsentGiver.CAREGIVER)
        .order_by(Consent.given_at.desc()).limit(1))
    code = consent.caregiver_relationship if consent is not None else None
    try:
        return CaregiverRelationship(code).label if code else None
    except ValueError:
        return code


@signals.case_panels.connect
def _case_panel(person, user=None, **_):
    if user is None or not person.is_minor:
        return {}
    return {"minor": {
        "adulthood": adulthood(person),
        "caregiver_relationship": caregiver_relationship(person),
        "assessments": best_interest.assessments(person),
        "approved": best_interest.approved_assessment(person),
        "pending": best_interest.pending_assessment(person),
        "can_record": best_interest.can_record(user, person),
    }}

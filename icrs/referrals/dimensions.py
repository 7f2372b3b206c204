"""The person's coarse dimensions (region, site, sex, category, birth year) copied on each of
their referrals, so the dashboard can group 300,000 referrals without joining them to people.

A flush hook keeps the copy equal to the person: a new referral takes its person's values, and a
change to a person's dimension updates all their referrals in the same flush (so the same
transaction). Being a hook, no code path (form, import, script) can leave the two apart."""
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

DIMENSIONS = ("region_id", "site_id", "sex", "category", "birth_year")


def person_values(person) -> dict:
    """{referral column: value} from a person, pending or persistent."""
    values = {f"person_{name}": getattr(person, name) for name in DIMENSIONS}
    if values["person_site_id"] is None and person.site is not None:  # pending: site= given
        values["person_site_id"] = person.site.id
        values["person_region_id"] = values["person_region_id"] or person.site.region_id
    return values


def _changed(obj, names) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _pending(session, cls, key):
    return next((o for o in session.new if isinstance(o, cls) and o.id == key), None)


def _person_of(session, referral, person_cls):
    if referral in session.new and referral.person is not None:
        return referral.person
    return _pending(session, person_cls, referral.person_id) or \
        session.get(person_cls, referral.person_id)


@event.listens_for(Session, "before_flush")
def _copy_person_dimensions(session, _context, _instances):
    from icrs.people.models import Person
    from icrs.referrals.models import Referral

    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Referral) and (obj in session.new or _changed(obj, ("person_id",))):
            for column, value in person_values(_person_of(session, obj, Person)).items():
                setattr(obj, column, value)
        elif isinstance(obj, Person) and obj not in session.new and _changed(obj, DIMENSIONS):
            table = Referral.__table__
            session.connection().execute(
                sa.update(table).where(table.c.person_id == obj.id).values(**person_values(obj)))

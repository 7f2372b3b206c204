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
    """{referral column: value} from a person."""
    return {f"person_{name}": getattr(person, name) for name in DIMENSIONS}


def _changed(obj) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in DIMENSIONS)


@event.listens_for(Session, "before_flush")
def _copy_person_dimensions(session, _context, _instances):
    from icrs.people.models import Person
    from icrs.referrals.models import Referral

    for obj in session.new:
        if isinstance(obj, Referral):  # a referral never changes person: copied once
            person = obj.person or session.get(Person, obj.person_id)
            for column, value in person_values(person).items():
                setattr(obj, column, value)
    for obj in session.dirty:
        if isinstance(obj, Person) and _changed(obj):
            table = Referral.__table__
            session.connection().execute(
                sa.update(table).where(table.c.person_id == obj.id).values(**person_values(obj)))

"""The person's dimensions copied on each referral (for the dashboard) stay equal to the person's:
on a new referral, after an identity edit, in the same transaction, and across the demo data."""
import datetime as dt

import sqlalchemy as sa

from icrs.people import services as people
from icrs.people.models import Person
from icrs.referrals import services
from icrs.referrals.dimensions import DIMENSIONS
from icrs.referrals.models import Referral
from tests.referrals.conftest import GOOD


def mismatches(db):
    """Referrals whose copied dimensions differ from their person's (NULL-safe)."""
    different = [sa.not_(sa.or_(getattr(Referral, f"person_{n}") == getattr(Person, n),
                                sa.and_(getattr(Referral, f"person_{n}").is_(None),
                                        getattr(Person, n).is_(None))))
                 for n in DIMENSIONS]
    return db.session.scalar(sa.select(sa.func.count()).select_from(Referral)
                             .join(Person, Person.id == Referral.person_id)
                             .where(sa.or_(*different)))


def stored(db, referral):
    row = db.session.execute(sa.select(*(getattr(Referral.__table__.c, f"person_{n}")
                                          for n in DIMENSIONS))
                             .where(Referral.__table__.c.id == referral.id)).one()
    return tuple(getattr(v, "value", v) for v in row)


def test_a_new_referral_copies_its_persons_dimensions(world, person, sent, db):
    referral = sent()
    assert stored(db, referral) == (world.en.id, world.mer.id, "female", "adult_woman", 1996)
    assert mismatches(db) == 0


def test_an_identity_edit_moves_every_referral_of_the_person_and_no_other(world, person, sent,
                                                                          db):
    from tests.referrals.conftest import new_person
    first, second = sent(), services.refer(world.caseworker, person, world.service, GOOD)
    other = services.refer(world.caseworker, new_person(world, db), world.service, GOOD)
    db.session.commit()
    data = {name: getattr(person, name) for name in (
        "first_name", "last_name", "phone", "id_number", "address", "languages")}
    people.update_identity(world.caseworker, person, {
        **data, "sex": "male", "category": "adult_man", "birth_date": dt.date(1990, 1, 5)})
    db.session.commit()
    assert stored(db, first) == stored(db, second) == (world.en.id, world.mer.id, "male",
                                                       "adult_man", 1990)
    assert stored(db, other)[2:] == ("female", "adult_woman", 1996)
    assert mismatches(db) == 0


def test_the_copy_is_written_in_the_persons_transaction(world, person, sent, db):
    referral = sent()
    person.sex = "male"
    db.session.flush()
    assert stored(db, referral)[2] == "male"
    db.session.rollback()
    assert stored(db, referral)[2] == "female"  # rolled back with the person's change


def test_the_demo_dataset_has_no_mismatch(db):
    from icrs.demo import DemoContext
    from tests.referrals.test_demo import _load
    _load(DemoContext(password="demo-password-1"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) > 50
    assert mismatches(db) == 0

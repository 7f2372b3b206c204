"""Households fixtures: a Méri team, people of its caseload, a signed-in client helper."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.households.models import HouseholdMember
from tests.conftest import signed_in  # noqa: F401  (the household tests import it from here)


@pytest.fixture
def mother(make, db, team):
    person = make.person(actor=team["owner"])
    db.session.commit()
    return person


@pytest.fixture
def child(make, db, team):
    person = make.person(actor=team["owner"], first_name="Ali", sex="male", birth_year=2016,
                         birth_date=dt.date(2016, 3, 1), category="dependant",
                         caregiver_name="Fanta")
    db.session.commit()
    return person


def members(db):
    db.session.expire_all()
    return db.session.scalars(sa.select(HouseholdMember).order_by(HouseholdMember.id)).all()


def actions(db, prefix="households."):
    return [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq))
            if e.action.startswith(prefix)]

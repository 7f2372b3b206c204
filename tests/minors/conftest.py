"""Children's cases: a child of Méri (15, caregiver on record), their caseworker, a supervisor
of the region and one of another region."""
import datetime as dt

import pytest

from icrs.core.timeutil import today
from icrs.people import services


def years_ago(years, days=0):
    now = today()
    return now.replace(year=now.year - years) - dt.timedelta(days=days)


@pytest.fixture
def worker(make):
    return make.user("caseworker", locale="en")


@pytest.fixture
def supervisor(make):
    return make.user("supervisor", region="EN", locale="en")


@pytest.fixture
def far_supervisor(make):
    make.site("BDA", region="NW")
    return make.user("supervisor", region="NW")


@pytest.fixture
def child(make, db, worker):
    """A 15-year-old with no consent yet."""
    born = years_ago(15)
    person = make.person(worker, consent_to=(), birth_date=born, birth_year=born.year,
                         category="caafag", caregiver_name="Hawa Modu",
                         caregiver_phone="+237 6 99 11 22 33")
    db.session.commit()
    return person


@pytest.fixture
def adult(make, db, worker):
    person = make.person(worker, consent_to=())
    db.session.commit()
    return person


def consent(actor, person, given_by, category="vocational_training", relationship="mother"):
    from icrs.people.models import ConsentMethod, ConsentPurpose
    return services.record_consent(
        actor, person, ConsentPurpose.SHARING, ConsentMethod.SIGNED,
        service_category=category, given_by=given_by,
        caregiver_relationship=relationship if given_by == "caregiver" else None)

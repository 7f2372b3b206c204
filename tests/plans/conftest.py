"""Plan fixtures: a Méri caseworker's case (Extrême-Nord) with a sent referral and a proposed
start-up grant, the region's supervisor, and a helper that builds an action's data."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.assistance import catalogue
from icrs.assistance import services as assistance
from icrs.audit.models import AuditEntry
from icrs.core.timeutil import today
from icrs.plans.models import PlanAction, PlanGoal, PlanVersion


@pytest.fixture(autouse=True)
def english(db):
    from flask_babel import force_locale
    with force_locale("en"):
        yield


@pytest.fixture
def worker(make):
    return make.user("caseworker", site="MER", locale="en")


@pytest.fixture
def supervisor(make, worker):
    return make.user("supervisor", region=worker.site.region, locale="en")


@pytest.fixture
def person(make, worker, db):
    person = make.person(worker)
    db.session.commit()
    return person


@pytest.fixture
def referral(make, person, worker, db):
    made = make.referral(person, actor=worker)
    db.session.commit()
    return made


@pytest.fixture
def entitlement(make, person, worker, db):
    admin = make.user("admin")
    source = catalogue.create_funding_source(admin, "iom_cm", "DDR", "IOM", "Lake Chad 2025")
    grant = catalogue.create_type(admin, "startup_grant", {
        "kind": "cash_grant", "name_fr": "Subvention", "name_en": "Start-up grant",
        "unit_value": 150000, "currency": "XAF", "funding_source_id": source.id})
    made = assistance.propose_entitlement(worker, person, grant, 150000, "Tools for his trade.")
    db.session.commit()
    return made


def action(description="Enrol in the tailoring course", kind="training", owner="person",
           days=30, budget=None, status="planned", carrier=""):
    return {"description": description, "action_type": kind, "owner": owner,
            "due_date": today() + dt.timedelta(days=days), "budget": budget, "status": status,
            "carrier": carrier}


def plan_rows(db):
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (PlanVersion, PlanGoal, PlanAction))


def audit_actions(db, prefix=""):
    return [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq))
            if e.action.startswith(prefix)]

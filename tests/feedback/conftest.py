"""Feedback fixtures: a person of the Méri team's caseload, a complaints focal point."""
import json

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry


@pytest.fixture
def person(make, db, team):
    person = make.person(actor=team["owner"])
    db.session.commit()
    return person


@pytest.fixture
def focal(make, db):
    user = make.user("supervisor", region="NW", locale="en")
    user.complaints_focal_point = True
    db.session.commit()
    return user


def audit(db, action):
    """The details of each entry of `action`, oldest first."""
    return [json.loads(e.details) for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq))]

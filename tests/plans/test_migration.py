"""0026_plans: the free-text plans become versions of the structured plan (goals text as one
goal, decrypted and encrypted again under the new row's associated data); an entitlement keeps
its plan; an erased person's plan stays unreadable; down and up again keeps the agreed plans."""
import uuid

import sqlalchemy as sa
from flask import current_app
from flask_migrate import downgrade, upgrade

from icrs.core.timeutil import today
from icrs.crypto import shred
from icrs.crypto.bulk import ConnectionCiphers
from icrs.extensions import db
from icrs.plans import services as plans
from icrs.plans.models import PlanStatus, PlanVersion
from tests import factories
from tests.core.test_migrations import _differences, migrated_app  # noqa: F401


def _agree(worker, person, goals):
    version = plans.save_draft(worker, person, "small_business", goals, [])
    plans.record_agreement(worker, version, today(), "signed")
    return version


def test_free_text_plans_become_structured_versions(migrated_app):  # noqa: F811
    make = factories.Factory("long-test-password-1")
    worker = make.user("caseworker")
    kept, erased = make.person(worker), make.person(worker)
    first = _agree(worker, kept, ["Grow onions"])
    second = _agree(worker, kept, ["Open a shop:\n- rent a stall", "Learn to keep accounts"])
    _agree(worker, erased, ["Secret"])
    plans.save_draft(worker, kept, "agriculture", ["A draft is not a plan yet"], [])
    db.session.commit()
    ids = {"kept": kept.id, "erased": erased.id, "first": first.id, "second": second.id,
           "worker": worker.id}
    shred(erased.id)
    db.session.commit()
    db.session.remove()

    downgrade(revision="0011_feedback")  # the revision before it
    with db.engine.begin() as conn:
        ciphers = ConnectionCiphers(conn, current_app.extensions["icrs_crypto"].keyring)
        rows = conn.execute(sa.text("SELECT id, person_id, goals_ct FROM plan")).all()
        assert len(rows) == 3  # the agreed versions; the draft is gone
        goals = {r[0]: ciphers.decrypt("str", r[2], uuid.UUID(str(r[1])), "plan", "goals",
                                       uuid.UUID(str(r[0]))) for r in rows}
    assert sorted(g for g in goals.values() if g) == [
        "Grow onions", "Open a shop:\n- rent a stall\n\nLearn to keep accounts"]

    upgrade()
    assert _differences(migrated_app) == []
    versions = {v.id: v for v in db.session.scalars(sa.select(PlanVersion))}
    old, new = versions[ids["first"]], versions[ids["second"]]
    assert (old.number, old.status, new.number, new.status) == (
        1, PlanStatus.SUPERSEDED, 2, PlanStatus.AGREED)
    assert [g.text for g in old.goals] == ["Grow onions"]
    assert [g.text for g in new.goals] == ["Open a shop:\n- rent a stall\n\n"
                                           "Learn to keep accounts"]
    assert new.agreement_method is None and new.agreed_at is not None
    assert new.based_on_id == old.id and new.created_by_id == ids["worker"]
    [gone] = [v for v in versions.values() if v.person_id == ids["erased"]]
    assert gone.goals == []  # nothing readable to carry over

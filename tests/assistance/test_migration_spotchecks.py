"""Migration 0024: the entitlement's status check admits the new states, the spot-check table
matches the model, and a downgrade puts the old checks back."""
import sqlalchemy as sa
from flask_migrate import downgrade

from icrs.extensions import db
from tests.core.test_migrations import _differences, migrated_app  # noqa: F401


def _checks():
    with db.engine.connect() as conn:
        return {c["name"]: c["sqltext"] for c in sa.inspect(conn).get_check_constraints(
            "entitlement")}


def test_upgrade_admits_the_new_states_and_downgrade_removes_them(migrated_app):  # noqa: F811
    checks = _checks()
    assert "'partly_disbursed'" in checks["ck_entitlement_entitlementstatus"]
    assert "'verified'" in checks["ck_entitlement_entitlement_approved_iff_granted"]
    assert "ck_entitlement_entitlement_partly_iff_some" in checks
    assert _differences(migrated_app) == []
    downgrade(revision="0011_followup_outcomes")  # the revision before it
    checks = _checks()
    assert "'partly_disbursed'" not in checks["ck_entitlement_entitlementstatus"]
    assert "ck_entitlement_entitlement_partly_iff_some" not in checks
    with db.engine.connect() as conn:
        assert "spot_check" not in sa.inspect(conn).get_table_names()

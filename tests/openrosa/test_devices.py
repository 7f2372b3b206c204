"""Field device credentials: made for oneself or by an admin, only for field roles, shown once
(only the hash kept), refused once expired, revoked, or its user inactive; audited."""
from datetime import timedelta

import pytest

from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import utcnow
from icrs.openrosa import devices
from icrs.openrosa.models import FieldDevice


def test_a_caseworker_makes_a_device_for_themself_and_only_the_hash_is_kept(db, team):
    owner = team["owner"]
    device, raw = devices.create_device(owner, owner, "Tecno phone")
    db.session.commit()
    assert raw.startswith(devices.TOKEN_PREFIX) and len(raw) > 40
    stored = db.session.get(FieldDevice, device.id)
    assert stored.token_hash == devices.hash_token(raw) and raw not in stored.token_hash
    assert devices.authenticate(raw).id == device.id
    assert stored.last_used_at is not None
    actions = [e.action for e in db.session.query(AuditEntry).all()]
    assert "openrosa.device_created" in actions


def test_an_admin_makes_one_for_a_user_but_a_colleague_may_not(db, team):
    owner = team["owner"]
    device, _ = devices.create_device(team["admin"], owner, "Field phone")
    assert device.user_id == owner.id and device.created_by_id == team["admin"].id
    with pytest.raises(AccessDenied):
        devices.create_device(team["colleague"], owner, "Field phone")
    with pytest.raises(AccessDenied):
        devices.revoke_device(team["colleague"], device)


@pytest.mark.parametrize("role", ["provider", "monitoring", "admin"])
def test_only_field_roles_get_a_device(db, team, role):
    with pytest.raises(DomainError):
        devices.create_device(team["admin"], team[role], "Phone")


@pytest.mark.parametrize("label", ["", "   ", "x" * 81])
def test_the_phone_is_named(db, team, label):
    with pytest.raises(DomainError) as refused:
        devices.create_device(team["owner"], team["owner"], label)
    assert refused.value.field == "label"


def test_revoked_expired_or_inactive_devices_are_refused(db, team):
    owner = team["owner"]
    revoked, raw_revoked = devices.create_device(owner, owner, "Old phone")
    devices.revoke_device(owner, revoked)
    with pytest.raises(DomainError):
        devices.revoke_device(owner, revoked)
    assert devices.authenticate(raw_revoked) is None
    expired, raw_expired = devices.create_device(owner, owner, "Lost phone")
    expired.expires_at = utcnow() - timedelta(seconds=1)
    assert devices.authenticate(raw_expired) is None
    live, raw_live = devices.create_device(owner, owner, "Phone")
    owner.active = False
    assert devices.authenticate(raw_live) is None
    owner.active = True
    assert devices.authenticate(raw_live).id == live.id


@pytest.mark.parametrize("raw", ["", "icrsd_unknown", "nope", "icrsd_" + "a" * 200])
def test_unknown_secrets_are_refused(db, team, raw):
    assert devices.authenticate(raw) is None

"""Field device credentials: made by the user (for their own phone) or an administrator (for a
user), shown once, revoked by either, audited. `authenticate` is the one check of every OpenRosa
request."""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.openrosa.models import FieldDevice

# The roles whose work is in the field: they collect with ODK Collect / KoBoCollect.
FIELD_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
TOKEN_PREFIX = "icrsd_"  # noqa: S105 (a marker, not a secret)
MAX_TOKEN_LENGTH = 100


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _may_manage(actor, user) -> bool:
    return actor is not None and (actor.id == user.id or actor.role == Role.ADMIN)


def create_device(actor, user, label: str, now=None):
    """Returns (device row, the secret in clear): the clear secret is never stored."""
    if not _may_manage(actor, user):
        raise AccessDenied(_l("You may make a device credential only for yourself."))
    if user.role not in FIELD_ROLES or not user.is_active:
        raise DomainError(_l("Only active caseworkers and supervisors collect in the field."))
    label = (label or "").strip()
    if not label or len(label) > 80:
        raise DomainError(_l("Name the phone in at most 80 characters."), "label")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now or utcnow()
    days = current_app.config["ICRS_FIELD_DEVICE_DAYS"]
    device = FieldDevice(user_id=user.id, label=label, token_hash=hash_token(raw),
                         created_by_id=actor.id, created_at=now,
                         expires_at=now + timedelta(days=days))
    db.session.add(device)
    db.session.flush()
    record("openrosa.device_created", actor=actor, obj=device, user=user.id,
           expires_at=device.expires_at.isoformat())
    return device, raw


def revoke_device(actor, device):
    if not _may_manage(actor, device.user):
        raise AccessDenied(_l("You may revoke only your own devices."))
    if device.revoked_at is not None:
        raise DomainError(_l("This device is already revoked."))
    device.revoked_at = utcnow()
    device.revoked_by_id = actor.id
    db.session.flush()
    record("openrosa.device_revoked", actor=actor, obj=device, user=device.user_id)
    return device


def devices_of(user):
    return db.session.scalars(sa.select(FieldDevice).where(FieldDevice.user_id == user.id)
                              .order_by(FieldDevice.created_at.desc())).all()


def authenticate(raw: str):
    """The live device whose secret is `raw`, its last use stamped (not committed); None when
    unknown, expired, revoked, or its user inactive or no longer in a field role."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH or not raw.startswith(TOKEN_PREFIX):
        return None
    device = db.session.scalar(sa.select(FieldDevice).where(
        FieldDevice.token_hash == hash_token(raw)))
    if device is None or not device.is_live() or device.user.role not in FIELD_ROLES:
        return None
    device.last_used_at = utcnow()
    return device

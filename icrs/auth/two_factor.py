"""Two-step verification: TOTP enrolment (a new secret replaces the old one only once a code from
it is confirmed), codes that cannot be replayed, one-time recovery codes, admin reset and policy.

Every change asks for the current password (or a current code) and is audited."""
import hashlib
import hmac
import secrets
import time

import pyotp
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from icrs.audit.services import record
from icrs.auth.models import RecoveryCode, User
from icrs.core.errors import DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db

RECOVERY_CODES = 10
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # 32 symbols, no l/o/0/1: 16 of them = 80 bits


# --- secrets -------------------------------------------------------------------------------------
def _seal(secret: str, user, column) -> bytes:
    from icrs.crypto import seal_system
    return seal_system(secret.encode(), f"user_account.{column}.{user.id}")


def _open(ciphertext, user, column) -> str | None:
    if ciphertext is None:
        return None
    from icrs.crypto import open_system
    return open_system(ciphertext, f"user_account.{column}.{user.id}").decode()


def totp_secret(user) -> str | None:
    return _open(user.totp_secret_ct, user, "totp_secret")


def pending_secret(user) -> str | None:
    return _open(user.totp_pending_ct, user, "totp_pending")


def _matching_step(secret, code) -> int | None:
    """The time step (previous, current or next 30 s) whose code this is, if any."""
    if not secret or not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# --- checking a code -----------------------------------------------------------------------------
def _normalise(code) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def accept_code(user, code) -> bool:
    """A TOTP code newer than the last one accepted, or an unused recovery code (used up now).
    Both are claimed by one conditional UPDATE, so two requests cannot share a code."""
    code = _normalise(code)
    step = _matching_step(totp_secret(user), code)
    if step is not None:
        claimed = db.session.execute(sa.update(User).where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        ).values(totp_last_step=step)).rowcount
        if claimed:
            set_committed_value(user, "totp_last_step", step)
        return bool(claimed)
    return _use_recovery_code(user, code)


def _use_recovery_code(user, code) -> bool:
    if len(code) != 16:
        return False
    used = db.session.execute(sa.update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
        RecoveryCode.used_at.is_(None)).values(used_at=utcnow())).rowcount
    if used:
        record("auth.recovery_code_used", actor=user, obj=user, left=unused_recovery_codes(user))
    return bool(used)


def _require_password_or_code(user, secret_input, allow_code=False):
    if user.check_password(secret_input or ""):
        return
    if allow_code and user.totp_enabled and accept_code(user, secret_input):
        return
    message = (_l("This is neither your password nor a valid code.") if allow_code
               else _l("The current password is not correct."))
    raise DomainError(message, "password")


# --- recovery codes ------------------------------------------------------------------------------
def _hash(normalised_code) -> str:
    return hashlib.sha256(normalised_code.encode()).hexdigest()


def _new_recovery_codes(user) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return ["-".join(c[i:i + 4] for i in range(0, 16, 4)) for c in codes]


def unused_recovery_codes(user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def regenerate_recovery_codes(actor, user, password) -> list[str]:
    """New codes (shown once); the old ones stop working."""
    _require_password_or_code(user, password)
    if not user.totp_enabled:
        raise DomainError(_l("Turn on two-step verification first."), "password")
    codes = _new_recovery_codes(user)
    record("auth.recovery_codes_regenerated", actor=actor, obj=user)
    db.session.flush()
    return codes


# --- enrolment and disabling ---------------------------------------------------------------------
def start_enrolment(actor, user, password) -> str:
    """A new pending secret; a secret already in use keeps working until the new one is
    confirmed."""
    _require_password_or_code(user, password)
    secret = pyotp.random_base32()
    user.totp_pending_ct = _seal(secret, user, "totp_pending")
    record("auth.2fa_enrolment_started", actor=actor, obj=user)
    db.session.flush()
    return secret


def confirm_enrolment(actor, user, code) -> list[str]:
    """A code from the pending secret makes it the secret in use; returns new recovery codes."""
    step = _matching_step(pending_secret(user), _normalise(code))
    if step is None:
        raise DomainError(_l("The code is not valid. Check your device's clock and try again."),
                          "code")
    again = user.totp_enabled
    user.totp_secret_ct = _seal(pending_secret(user), user, "totp_secret")
    user.totp_pending_ct, user.totp_enabled, user.totp_last_step = None, True, step
    codes = _new_recovery_codes(user)
    record("auth.2fa_reenrolled" if again else "auth.2fa_enabled", actor=actor, obj=user)
    db.session.flush()
    return codes


def _clear(user):
    user.totp_enabled, user.totp_secret_ct, user.totp_pending_ct = False, None, None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(actor, user, password_or_code):
    if user.needs_two_factor(current_app.config["ICRS_REQUIRE_2FA_FOR_STAFF"]):
        raise DomainError(_l("Your account requires two-step verification."), "password")
    _require_password_or_code(user, password_or_code, allow_code=True)
    _clear(user)
    record("auth.2fa_disabled", actor=actor, obj=user)
    db.session.flush()


def reset(actor, user):
    """An administrator's reset (lost device): the user enrols again at the next sign-in if
    their account requires it."""
    _clear(user)
    record("admin.2fa_reset", actor=actor, obj=user)
    db.session.flush()


def set_required(actor, user, required: bool):
    if user.totp_required != required:
        user.totp_required = required
        record("admin.2fa_required", actor=actor, obj=user, required=required)
        db.session.flush()

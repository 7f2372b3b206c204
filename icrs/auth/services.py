"""Account operations: authenticate, lockout, password changes, two-factor, user admin."""
import pyotp
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.models import User, dummy_password_check
from icrs.auth.roles import Role
from icrs.core.errors import DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db

MIN_PASSWORD_LENGTH = 10


class LoginRefused(DomainError):
    def __init__(self, message, locked_until=None):
        super().__init__(message)
        self.locked_until = locked_until


def find_user(username: str):
    return db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))


def authenticate(username: str, password: str) -> User:
    """Check credentials; count failures and lock at the threshold. One generic message."""
    user = find_user(username or "")
    generic = _l("Invalid username or password.")
    if user is None:
        dummy_password_check(password or "")
        raise LoginRefused(generic)
    if user.is_locked():
        record("auth.login_refused_locked", actor=user, obj=user)
        raise LoginRefused(_l("Too many failed attempts. Try again later."), user.locked_until)
    if not user.check_password(password or "") or not user.active:
        _count_failure(user)
        raise LoginRefused(generic)
    return user


def _count_failure(user):
    cfg = current_app.config
    user.failed_logins += 1
    record("auth.login_failed", actor=user, obj=user, failures=user.failed_logins)
    if user.failed_logins >= cfg["ICRS_LOCKOUT_THRESHOLD"]:
        user.lock_for(cfg["ICRS_LOCKOUT_MINUTES"])
        user.failed_logins = 0
        record("auth.locked", actor=user, obj=user, minutes=cfg["ICRS_LOCKOUT_MINUTES"])
    db.session.flush()


def complete_login(user: User):
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    record("auth.login", actor=user, obj=user)
    db.session.flush()


def validate_new_password(user, password: str):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
                          "new_password")
    if password.strip().lower() == user.username.lower():
        raise DomainError(_l("The password must not be the username."), "new_password")


def change_password(user, current: str, new: str, actor):
    if not user.check_password(current):
        raise DomainError(_l("The current password is not correct."), "current_password")
    validate_new_password(user, new)
    user.set_password(new)
    user.session_version += 1
    record("auth.password_changed", actor=actor, obj=user)
    db.session.flush()


# --- two-factor ----------------------------------------------------------------------------------
def _seal(secret: str, user) -> bytes:
    from icrs.crypto import seal_system
    return seal_system(secret.encode(), f"user_account.totp_secret.{user.id}")


def totp_secret(user) -> str | None:
    if user.totp_secret_ct is None:
        return None
    from icrs.crypto import open_system
    return open_system(user.totp_secret_ct, f"user_account.totp_secret.{user.id}").decode()


def start_totp_enrolment(user) -> str:
    secret = pyotp.random_base32()
    user.totp_secret_ct = _seal(secret, user)
    user.totp_enabled = False
    db.session.flush()
    return secret


def verify_totp(user, code: str) -> bool:
    secret = totp_secret(user)
    code = (code or "").replace(" ", "")
    return bool(secret and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1))


def confirm_totp(user, code: str, actor):
    if not verify_totp(user, code):
        raise DomainError(_l("The code is not valid. Check your device's clock and try again."),
                          "code")
    user.totp_enabled = True
    record("auth.2fa_enabled", actor=actor, obj=user)
    db.session.flush()


def disable_totp(user, actor):
    user.totp_enabled = False
    user.totp_secret_ct = None
    record("auth.2fa_disabled", actor=actor, obj=user)
    db.session.flush()


# --- administration ------------------------------------------------------------------------------
def _check_scope_fields(role, organisation, site, region):
    if role == Role.PROVIDER and organisation is None:
        raise DomainError(_l("A service provider needs an organisation."), "organisation_id")
    if role == Role.CASEWORKER and site is None:
        raise DomainError(_l("A caseworker needs a site."), "site_id")


def create_user(actor, username, full_name, role, password, email=None, organisation=None,
                site=None, region=None, locale=None) -> User:
    username = username.strip().lower()
    if find_user(username) is not None:
        raise DomainError(_l("This username is already taken."), "username")
    role = Role(role)
    _check_scope_fields(role, organisation, site, region)
    user = User(username=username, full_name=full_name, role=role, email=email or None,
                organisation=organisation if role == Role.PROVIDER else None,
                site=site if role == Role.CASEWORKER else None,
                region=region if role == Role.SUPERVISOR else None, locale=locale)
    validate_new_password(user, password)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("admin.user_created", actor=actor, obj=user, role=role.value)
    return user


def update_user(actor, user, role, full_name, email, organisation, site, region, active):
    role = Role(role)
    _check_scope_fields(role, organisation, site, region)
    if user.id == actor.id and (not active or role != Role.ADMIN):
        raise DomainError(_l("You cannot deactivate yourself or remove your own admin role."),
                          "role")
    changed = sorted(k for k, old, new in (
        ("role", user.role, role), ("active", user.active, active),
        ("organisation", user.organisation, organisation if role == Role.PROVIDER else None),
        ("site", user.site, site if role == Role.CASEWORKER else None),
        ("region", user.region, region if role == Role.SUPERVISOR else None)) if old != new)
    user.role, user.full_name, user.email, user.active = role, full_name, email or None, active
    user.organisation = organisation if role == Role.PROVIDER else None
    user.site = site if role == Role.CASEWORKER else None
    user.region = region if role == Role.SUPERVISOR else None
    if changed:
        user.session_version += 1
    record("admin.user_updated", actor=actor, obj=user, changed=changed)
    db.session.flush()


def reset_password(actor, user, new_password):
    validate_new_password(user, new_password)
    user.set_password(new_password)
    user.failed_logins, user.locked_until = 0, None
    user.session_version += 1
    record("admin.password_reset", actor=actor, obj=user)
    db.session.flush()


def set_time_zone(user, name: str, actor):
    """The zone the user's pages show times in; only names zoneinfo knows."""
    from icrs.core.timeutil import is_zone
    if not is_zone(name):
        raise DomainError(_l("Choose a time zone from the list."), field="time_zone")
    user.time_zone = name
    db.session.flush()

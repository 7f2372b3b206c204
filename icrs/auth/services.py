"""Account operations: authenticate, login delays, password changes, sessions, user admin.
Two-step verification is in two_factor.py, the password policy in passwords.py."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth import signals
from icrs.auth.models import User, dummy_password_check
from icrs.auth.passwords import validate_new_password
from icrs.auth.roles import Role
from icrs.core.errors import DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db

GENERIC_REFUSAL = _l("Invalid username or password. After several failed attempts, wait a few "
                     "minutes before trying again.")


class LoginRefused(DomainError):
    pass


def find_user(username: str):
    return db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))


def authenticate(username: str, password: str) -> User:
    """Check credentials. One message whatever went wrong (unknown user, wrong password,
    inactive, or still waiting after failures), and the same argon2 work in every case."""
    user = find_user(username or "")
    if user is None or user.is_locked():
        dummy_password_check(password or "")
        if user is not None:
            record("auth.login_refused_locked", actor=user, obj=user)
        raise LoginRefused(GENERIC_REFUSAL)
    if not user.check_password(password or "") or not user.active:
        count_failure(user, "auth.login_failed")
        raise LoginRefused(GENERIC_REFUSAL)
    return user


def count_failure(user, action):
    """A wrong password or two-step code. From the threshold on, each failure makes the next
    attempt wait twice as long (2, 4, 8 … seconds, capped): guessing slows to a crawl while
    the owner is kept out for minutes at most. Reaching the threshold tells the user and
    the admins."""
    cfg = current_app.config
    user.failed_logins += 1
    over = user.failed_logins - cfg["ICRS_LOCKOUT_THRESHOLD"]
    delay = min(2 ** min(over + 1, 20), cfg["ICRS_LOGIN_DELAY_MAX_SECONDS"]) if over >= 0 else 0
    if delay:
        user.locked_until = utcnow() + timedelta(seconds=delay)
    record(action, actor=user, obj=user, failures=user.failed_logins, delay_seconds=delay)
    db.session.flush()
    if over == 0:
        signals.repeated_login_failures.send(user)


def complete_login(user: User):
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    record("auth.login", actor=user, obj=user)
    db.session.flush()


def change_password(actor, user, current: str, new: str):
    if not user.check_password(current):
        raise DomainError(_l("The current password is not correct."), "current_password")
    validate_new_password(user, new)
    user.set_password(new)
    user.session_version += 1
    record("auth.password_changed", actor=actor, obj=user)
    db.session.flush()


# --- sessions ------------------------------------------------------------------------------------
def sign_out(actor):
    """Logout: a new session generation, so a copy of this session's cookie no longer works
    (every other session of the user ends too: load_user compares the generation)."""
    actor.session_version += 1
    record("auth.logout", actor=actor, obj=actor)
    db.session.flush()


def end_sessions(actor, user):
    """An administrator's "sign out everywhere" for a user."""
    user.session_version += 1
    record("admin.sessions_ended", actor=actor, obj=user)
    db.session.flush()


# --- administration ------------------------------------------------------------------------------
REGION_ROLES = (Role.SUPERVISOR, Role.MONITORING)  # a region, or none for the whole country


def _check_scope_fields(role, organisation, site, region):
    if role == Role.PROVIDER and organisation is None:
        raise DomainError(_l("A service provider needs an organisation."), "organisation_id")
    if role == Role.CASEWORKER and site is None:
        raise DomainError(_l("A caseworker needs a site."), "site_id")


def _scope_values(role, organisation, site, region):
    """What the account keeps of the form's place fields: a site for a caseworker, a region
    (or the country) for supervisors and M&E readers, no place for the others; every role
    may belong to an organisation (CNDDR, IOM, a ministry …), a provider must."""
    _check_scope_fields(role, organisation, site, region)
    return {"organisation": organisation,
            "site": site if role == Role.CASEWORKER else None,
            "region": region if role in REGION_ROLES else None}


def create_user(actor, username, full_name, role, password, email=None, organisation=None,
                site=None, region=None, locale=None) -> User:
    username = username.strip().lower()
    if find_user(username) is not None:
        raise DomainError(_l("This username is already taken."), "username")
    role = Role(role)
    user = User(username=username, full_name=full_name, role=role, email=email or None,
                locale=locale, **_scope_values(role, organisation, site, region))
    validate_new_password(user, password, field="password")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("admin.user_created", actor=actor, obj=user, role=role.value)
    return user


def update_user(actor, user, role, full_name, email, organisation, site, region, active,
                focal_point=None):
    """`focal_point`: None keeps the complaints focal point flag as it is."""
    role = Role(role)
    focal_point = user.complaints_focal_point if focal_point is None else bool(focal_point)
    if focal_point and role == Role.PROVIDER:
        raise DomainError(_l("A service provider cannot be a complaints focal point."),
                          "complaints_focal_point")
    scope = _scope_values(role, organisation, site, region)
    if user.id == actor.id and (not active or role != Role.ADMIN):
        raise DomainError(_l("You cannot deactivate yourself or remove your own admin role."),
                          "role")
    changed = sorted(k for k, old, new in (
        ("role", user.role, role), ("active", user.active, active),
        ("complaints_focal_point", user.complaints_focal_point, focal_point),
        *((name, getattr(user, name), value) for name, value in scope.items())) if old != new)
    user.role, user.full_name, user.email, user.active = role, full_name, email or None, active
    user.complaints_focal_point = focal_point
    for name, value in scope.items():
        setattr(user, name, value)
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

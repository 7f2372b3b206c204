"""User accounts: credentials, role and scope, lockout state, locale, two-factor secret."""
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.auth.roles import Role, has_permission
from icrs.auth.scope import Scope
from icrs.core.enums import enum_column
from icrs.core.models import TimestampMixin
from icrs.core.timeutil import utcnow
from icrs.extensions import db

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(
            "role != 'provider' OR organisation_id IS NOT NULL", name="provider_has_organisation"
        ),
        sa.CheckConstraint("role != 'caseworker' OR site_id IS NOT NULL",
                           name="caseworker_has_site"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False)
    organisation_id = mapped_column(sa.Uuid, sa.ForeignKey("organisation.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("region.id"), index=True)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    time_zone: Mapped[str] = mapped_column(sa.String(64), nullable=False, default="Africa/Douala",
                                           server_default="Africa/Douala")
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    # receives the complaints about staff (abuse, exploitation, fraud): icrs.feedback
    complaints_focal_point: Mapped[bool] = mapped_column(sa.Boolean, nullable=False,
                                                         default=False, server_default=sa.false())
    failed_logins: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    locked_until = mapped_column(sa.DateTime)
    last_login_at = mapped_column(sa.DateTime)
    totp_secret_ct = mapped_column(sa.LargeBinary)  # sealed with the system key
    totp_enabled: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    totp_pending_ct = mapped_column(sa.LargeBinary)  # a new secret until its first code
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)  # no code accepted twice
    totp_required: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False,
                                                server_default=sa.false())  # set by an admin
    # Bumped on password change/reset so other sessions of this user end (see load_user).
    session_version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    organisation = relationship("Organisation")
    site = relationship("Site")
    region = relationship("Region", foreign_keys=[region_id])

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self):
        return self.active

    # --- credentials -------------------------------------------------------------------------
    def set_password(self, password: str):
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            ok = _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if ok and _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return ok

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def lock_for(self, minutes: int):
        self.locked_until = utcnow() + timedelta(minutes=minutes)

    # --- scope ---------------------------------------------------------------------------------
    @property
    def scope(self) -> Scope:
        """Who this user sees (icrs.auth.scope): the one answer to every scope question."""
        return Scope.for_user(self)

    def can(self, permission: str) -> bool:
        return has_permission(self, permission)

    def needs_two_factor(self, required_for_staff: bool) -> bool:
        return self.totp_required or (required_for_staff
                                      and self.role in (Role.ADMIN, Role.SUPERVISOR))

    def __repr__(self):
        return f"<User {self.username} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time two-step recovery code: only its SHA-256 is kept (the code has 80 random bits,
    so a slow hash adds nothing)."""
    __tablename__ = "recovery_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False,
                                         index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    used_at = mapped_column(sa.DateTime)


def dummy_password_check(password: str):
    """Spend the same time as a real check when the username is unknown (no user enumeration)."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        pass


_DUMMY_HASH = _hasher.hash("not-a-real-password")

"""Need-to-know for the sensitive sections (association history, security and protection, health,
psychosocial wellbeing): the one rule every page, export and service asks, and the break-glass
grants that open them for a while to a colleague of the site who has a reason.

Readable by the person's assigned caseworker and the supervisors whose area covers the person
(the region's and the national ones); any other caseworker of the site sees "restricted" and
may break the glass: a reason, an audit entry, notifications, then a grant until `expires_at`.
"""
import datetime as dt
import uuid

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.auth.roles import Role
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db

DEFAULT_MINUTES = 60
REASON_MIN_LENGTH = 15


class BreakGlass(db.Model):
    """One break-glass use: `user` may read `person`'s sensitive sections until `expires_at`."""

    __tablename__ = "break_glass"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.Index("ix_break_glass_grant", "person_id", "user_id", "expires_at"),
        sa.CheckConstraint("expires_at > created_at", name="break_glass_expires_after"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False,
                                         index=True)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow, index=True)
    expires_at = mapped_column(sa.DateTime, nullable=False)
    reason = encrypted_column(str, nullable=False)  # the user's own words: may name anyone

    person = relationship("Person")
    user = relationship("User")

    @property
    def active(self):
        return self.expires_at > utcnow()


def grant_minutes() -> int:
    return int(current_app.config.get("ICRS_BREAK_GLASS_MINUTES") or DEFAULT_MINUTES)


def grant_duration() -> dt.timedelta:
    return dt.timedelta(minutes=grant_minutes())


def has_need_to_know(user, person) -> bool:
    """The assigned caseworker, or a supervisor whose area covers the person."""
    if not person.can_view(user):
        return False
    if user.role == Role.SUPERVISOR:
        return True
    return user.role == Role.CASEWORKER and person.caseworker_id == user.id


def active_grant(user, person) -> BreakGlass | None:
    """The user's break-glass grant on this person that has not expired yet, if any."""
    if user is None or getattr(user, "id", None) is None or person.id is None:
        return None
    return db.session.scalars(sa.select(BreakGlass).where(
        BreakGlass.person_id == person.id, BreakGlass.user_id == user.id,
        BreakGlass.expires_at > utcnow()).order_by(BreakGlass.expires_at.desc()).limit(1)
    ).first()


def _may_hold_sensitive(user, person) -> bool:
    return person.can_view(user) and user.can("people.sensitive")


def may_read_sensitive(user, person) -> bool:
    """THE rule for the sensitive sections: every page, export and service asks this."""
    if not _may_hold_sensitive(user, person):
        return False
    return has_need_to_know(user, person) or active_grant(user, person) is not None


def may_break_glass(user, person) -> bool:
    """A colleague who may see the person but not (now) the sensitive sections."""
    return (not person.is_erased and _may_hold_sensitive(user, person)
            and not has_need_to_know(user, person) and active_grant(user, person) is None)

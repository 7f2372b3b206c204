"""A field device credential: what ODK Collect or KoBoCollect on one phone uses to reach ICRS as
its user. The secret is part of the server URL the phone is given (as ODK Central's app users);
only its SHA-256 is kept. It expires, its user or an administrator may revoke it, and it works
only while its user is active, with the user's own role and scope."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.timeutil import utcnow
from icrs.extensions import db


class FieldDevice(db.Model):
    __tablename__ = "field_device"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False,
                                         index=True)
    label: Mapped[str] = mapped_column(sa.String(80), nullable=False)  # "Tecno phone, Mora"
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    expires_at = mapped_column(sa.DateTime, nullable=False)
    revoked_at = mapped_column(sa.DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    last_used_at = mapped_column(sa.DateTime)

    user = relationship("User", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])

    def is_live(self, now=None) -> bool:
        now = now or utcnow()
        return (self.revoked_at is None and self.expires_at > now
                and self.user is not None and self.user.is_active)

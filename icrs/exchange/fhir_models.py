"""A partner organisation's token for the FHIR API. Only its SHA-256 is kept; the token is shown
once, to the administrator who creates it."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.timeutil import utcnow
from icrs.extensions import db


class PartnerToken(db.Model):
    __tablename__ = "partner_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id = mapped_column(sa.Uuid, sa.ForeignKey("organisation.id"), nullable=False,
                                    index=True)
    label: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    expires_at = mapped_column(sa.DateTime, nullable=False)
    revoked_at = mapped_column(sa.DateTime)
    last_used_at = mapped_column(sa.DateTime)

    organisation = relationship("Organisation")
    created_by = relationship("User")

    def is_live(self, now=None):
        now = now or utcnow()
        return self.revoked_at is None and self.expires_at > now

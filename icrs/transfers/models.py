"""CaseTransfer: a case asked to move from one site to another, and what the receiving side
decided. The row stays after acceptance: it is the stub the old site keeps (case number, where
and when it went, no personal data). DuplicateContact: a caseworker who met a possible duplicate
at another site asks that case's owner to contact them.

The reasons, the decision comment and the contact message may say anything about the person:
encrypted under the person's data key, so an erasure shreds them with the rest. The places,
status and dates are plain (coded, non-identifying: the worklists and the stubs filter on them)."""
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.enums import enum_column
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db
from icrs.transfers.states import TransferStatus


class CaseTransfer(db.Model):
    __tablename__ = "case_transfer"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.CheckConstraint("(status = 'requested') = (decided_at IS NULL)",
                           name="transfer_decided_iff_closed"),
        sa.CheckConstraint("(status = 'requested') = (open_person_id IS NOT NULL)",
                           name="transfer_open_iff_requested"),
        sa.CheckConstraint("status <> 'accepted' OR new_caseworker_id IS NOT NULL",
                           name="transfer_accepted_has_caseworker"),
        sa.CheckConstraint("from_site_id <> to_site_id", name="transfer_to_another_site"),
        sa.Index("ix_case_transfer_to", "to_site_id", "status", "requested_at"),
        sa.Index("ix_case_transfer_from", "from_site_id", "status", "decided_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    from_site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False)
    from_region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False)
    to_site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False)
    to_region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False)
    status: Mapped[TransferStatus] = mapped_column(
        enum_column(TransferStatus, length=16), nullable=False, default=TransferStatus.REQUESTED)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                 nullable=False)
    requested_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    reason = encrypted_column(str)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at = mapped_column(sa.DateTime)
    comment = encrypted_column(str)
    previous_caseworker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    new_caseworker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # the person while the request is open, else NULL: one open transfer per case
    open_person_id = mapped_column(sa.Uuid, unique=True)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    person = relationship("Person")
    from_site = relationship("Site", foreign_keys=[from_site_id])
    to_site = relationship("Site", foreign_keys=[to_site_id])
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    new_caseworker = relationship("User", foreign_keys=[new_caseworker_id])

    @property
    def is_open(self):
        return self.status == TransferStatus.REQUESTED


class DuplicateContact(db.Model):
    __tablename__ = "duplicate_contact"
    __crypto_owner__ = "person_id"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                 nullable=False)
    requested_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    message = encrypted_column(str)

    person = relationship("Person")
    requested_by = relationship("User")

"""ApprovalRequest: who asked for what about whom, why, and who decided. The reason and the
decision comment may say anything about the person: encrypted under the person's data key, so
an erasure shreds them with the rest."""
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.approvals.states import ApprovalStatus
from icrs.core.enums import enum_column
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db


class ApprovalRequest(db.Model):
    __tablename__ = "approval_request"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.CheckConstraint("(status = 'requested') = (decided_at IS NULL)",
                           name="approval_decided_iff_closed"),
        sa.CheckConstraint("(status = 'requested') = (open_key IS NOT NULL)",
                           name="approval_open_key_iff_open"),
        sa.CheckConstraint("status <> 'approved' OR decided_by_id <> requested_by_id",
                           name="approval_by_second_person"),
        sa.Index("ix_approval_request_status", "status", "kind", "requested_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    subject_type: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    subject_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    status: Mapped[ApprovalStatus] = mapped_column(
        enum_column(ApprovalStatus, length=16), nullable=False, default=ApprovalStatus.REQUESTED)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                 nullable=False)
    requested_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    reason = encrypted_column(str)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at = mapped_column(sa.DateTime)
    comment = encrypted_column(str)
    # "<kind>:<subject type>:<subject id>" while open, else NULL: one open request per subject
    open_key: Mapped[str | None] = mapped_column(sa.String(140), unique=True)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def is_open(self):
        return self.status == ApprovalStatus.REQUESTED

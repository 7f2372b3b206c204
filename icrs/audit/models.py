"""AuditEntry rows form a hash chain; AuditHead (one row) serialises appends and pins the tail."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.timeutil import utcnow
from icrs.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_object", "object_type", "object_id"),)

    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                                     primary_key=True, autoincrement=False)
    at = mapped_column(sa.DateTime, nullable=False, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(32))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[str] = mapped_column(sa.Text, nullable=False, default="{}")  # canonical JSON
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    prev_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)

    actor = relationship("User")


class AuditHead(db.Model):
    """The last sequence number and hash: updating it first locks the chain for this transaction."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0)
    hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)


class ExportJustification(db.Model):
    """Why a list with personal data was exported, kept with its audit entry. The text is free
    and may name people, so it is sealed (icrs.crypto.seal_system, a key derived from the KEK:
    there is no one person whose data key it could use); only the category is plain."""

    __tablename__ = "export_justification"
    audit_seq: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), sa.ForeignKey("audit_entry.seq"),
        primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    text_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary, nullable=False)

"""DataKey: one wrapped data key (DEK) per owner (a person). A shredded key stays as a tombstone
(no key material, `shredded_at` set) so nothing can silently create a fresh key for an erased
person and status can count erasures."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from icrs.core.timeutil import utcnow
from icrs.extensions import db


class DataKey(db.Model):
    __tablename__ = "data_key"
    __table_args__ = (
        sa.CheckConstraint("(wrapped_dek IS NULL) = (kek_version IS NULL)",
                           name="wrapped_has_version"),
        sa.CheckConstraint("(wrapped_dek IS NULL) = (shredded_at IS NOT NULL)",
                           name="shredded_xor_key"),
    )

    owner_id = mapped_column(sa.Uuid, primary_key=True)  # the person's id; no FK: keys outlive rows
    wrapped_dek = mapped_column(sa.LargeBinary)
    kek_version: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    rotated_at = mapped_column(sa.DateTime)  # last rewrap (KEK rotation) or re-encryption
    shredded_at = mapped_column(sa.DateTime)

    @property
    def is_shredded(self) -> bool:
        return self.wrapped_dek is None

    def __repr__(self):
        state = "shredded" if self.is_shredded else f"kek v{self.kek_version}"
        return f"<DataKey {self.owner_id} {state}>"


class KeyCheck(db.Model):
    """A check value per key that a database depends on (today the blind-index key): an HMAC of a
    fixed label, written on first start, compared at every start. No key material."""

    __tablename__ = "key_check"
    name: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)

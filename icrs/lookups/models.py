"""One entry of an admin-editable vocabulary. Codes are immutable and never deleted (retired
instead), so a code once used always means the same thing on old records and in exports."""
import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column

from icrs.core.models import TimestampMixin
from icrs.extensions import db


class LookupEntry(TimestampMixin, db.Model):
    __tablename__ = "lookup_entry"
    __table_args__ = (sa.UniqueConstraint("vocabulary", "code", name="lookup_vocabulary_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    code: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    label_fr: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    label_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)

    @property
    def label(self):
        return self.label_en if str(get_locale() or "fr").startswith("en") else self.label_fr

    def __str__(self):
        return self.label

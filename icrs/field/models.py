"""The uploaded versions of a questionnaire. The .xlsx is a form definition, not personal data:
kept in clear in the database (so every app server sees the same file), with its SHA-256. The
version in use for a form is the latest published one; with none, the file shipped with ICRS
(icrs/field/forms/<form_id>.xlsx) is the baseline."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.timeutil import utcnow
from icrs.extensions import db

MAX_BYTES = 1024 * 1024


class QuestionnaireVersion(db.Model):
    __tablename__ = "questionnaire_version"
    __table_args__ = (sa.UniqueConstraint("form_id", "version",
                                          name="uq_questionnaire_version_form_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(sa.String(64), nullable=False, index=True)
    version: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    xlsx: Mapped[bytes] = mapped_column(sa.LargeBinary, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    filename: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                nullable=False)
    uploaded_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, nullable=False,
                                                     default=utcnow)
    published: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False,
                                            server_default=sa.false())
    published_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])

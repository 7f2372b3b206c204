"""Feedback and complaints (accountability to affected people). Coded columns (kind, category,
channel, status, satisfaction, dates) are plain: they are non-identifying and counted in the
satisfaction figures. What the person said and the answer are encrypted under the person's data
key and die with it."""
import datetime as dt
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.enums import LabelledEnum, enum_column
from icrs.core.models import new_uuid
from icrs.core.timeutil import today, utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db


class FeedbackKind(LabelledEnum):
    FEEDBACK = "feedback", _l("Feedback")
    COMPLAINT = "complaint", _l("Complaint")


class FeedbackCategory(LabelledEnum):
    SERVICE_QUALITY = "service_quality", _l("Quality of a service")
    ACCESS_DELAY = "access_delay", _l("Access or delay")
    ASSISTANCE = "assistance", _l("Assistance received")
    PRIVACY = "privacy", _l("Privacy or personal data")
    STAFF_CONDUCT = "staff_conduct", _l("Conduct of staff (rudeness, neglect)")
    # abuse, exploitation or fraud by staff: only the designated focal points ever see it
    STAFF_ABUSE = "staff_abuse", _l("Abuse, exploitation or fraud by staff")
    OTHER = "other", _l("Other")


SENSITIVE_CATEGORIES = frozenset({FeedbackCategory.STAFF_ABUSE})


class FeedbackChannel(LabelledEnum):
    IN_PERSON = "in_person", _l("In person")
    PHONE = "phone", _l("By phone")
    HOTLINE_CODE = "hotline_code", _l("Hotline, with the person’s feedback code")


class FeedbackStatus(LabelledEnum):
    OPEN = "open", _l("Received")
    IN_PROGRESS = "in_progress", _l("Being handled")
    ANSWERED = "answered", _l("Answered")
    CLOSED = "closed", _l("Closed")


class Feedback(db.Model):
    __tablename__ = "feedback"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.Index("ix_feedback_region_status", "region_id", "status", "due_on"),
        sa.Index("ix_feedback_service", "service_id", "satisfaction"),
        sa.CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                           name="feedback_satisfaction_scale"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True, nullable=False)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    # the person's place when it was received: who handles it
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False)
    kind: Mapped[FeedbackKind] = mapped_column(enum_column(FeedbackKind), nullable=False)
    category: Mapped[FeedbackCategory] = mapped_column(enum_column(FeedbackCategory),
                                                       nullable=False)
    channel: Mapped[FeedbackChannel] = mapped_column(enum_column(FeedbackChannel),
                                                     nullable=False)
    service_id = mapped_column(sa.Uuid, sa.ForeignKey("service.id"))
    satisfaction: Mapped[int | None] = mapped_column(sa.SmallInteger)  # 1 (very bad) .. 5
    # the staff member the complaint is about: never among those who may read it
    concerns_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    sensitive: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    status: Mapped[FeedbackStatus] = mapped_column(enum_column(FeedbackStatus), nullable=False,
                                                   default=FeedbackStatus.OPEN)
    received_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    due_on: Mapped[dt.date | None] = mapped_column(sa.Date)  # complaints: answer by then
    answered_at = mapped_column(sa.DateTime)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    text = encrypted_column(str, nullable=False)  # the person's words
    response = encrypted_column(str)  # what was done / said back

    person = relationship("Person")
    service = relationship("Service")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])

    @property
    def is_overdue(self):
        return (self.due_on is not None and self.due_on < today()
                and self.status in (FeedbackStatus.OPEN, FeedbackStatus.IN_PROGRESS))


class FeedbackCode(db.Model):
    """The person's feedback code, printed on their card or slip: a hotline operator records a
    complaint with it without learning who the person is. Stored as a SHA-256 digest for the
    lookup and encrypted under the person's key to print it again."""

    __tablename__ = "feedback_code"
    __crypto_owner__ = "person_id"
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    code = encrypted_column(str, nullable=False)

"""Plan versions, their goals and actions. Goals, action descriptions and the agreement's
witness are encrypted under the person's data key (crypto-shredded with it)."""
import datetime as dt
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.enums import LabelledEnum, enum_column
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db


class PlanStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _l("Agreed, waiting for budget approval")
    AGREED = "agreed", _l("Agreed, in force")
    SUPERSEDED = "superseded", _l("Replaced by a later version")


AGREED_STATES = (PlanStatus.AGREED, PlanStatus.SUPERSEDED)


class AgreementMethod(LabelledEnum):
    SIGNED = "signed", _l("Signed")
    THUMBPRINT = "thumbprint", _l("Thumbprint")
    VERBAL_WITNESSED = "verbal_witnessed", _l("Verbal, with a witness")


class ActionType(LabelledEnum):
    REFERRAL = "referral", _l("Referral to a service")
    ASSISTANCE = "assistance", _l("Reintegration assistance")
    TRAINING = "training", _l("Training")
    COUNSELLING = "counselling", _l("Counselling")
    DOCUMENTATION = "documentation", _l("Civil documents")
    OTHER = "other", _l("Other")


class ActionStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")
    DROPPED = "dropped", _l("Dropped")


class PlanVersion(db.Model):
    """One version of a person's plan. A draft is edited in place; once the person agreed
    (and, over the budget threshold, a supervisor approved) its content never changes: a
    revision is a new draft. Versions migrated from the earlier free-text plan have no
    agreement method (it was not recorded then)."""

    __tablename__ = "plan_version"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "number", name="plan_version_number_per_person"),
        sa.CheckConstraint("(status IN ('agreed', 'superseded')) = (agreed_at IS NOT NULL)",
                           name="agreed_iff_in_force"),
        sa.CheckConstraint("status <> 'awaiting_approval' OR (agreed_on IS NOT NULL "
                           "AND agreement_method IS NOT NULL)",
                           name="awaiting_has_agreement"),
        sa.CheckConstraint("agreement_method IS NULL OR agreed_on IS NOT NULL",
                           name="method_has_day"),
        sa.CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus, length=24),
                                               nullable=False, default=PlanStatus.DRAFT)
    # a code of the "pathway" list (icrs.people.vocabularies)
    pathway: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    based_on_id = mapped_column(sa.Uuid, sa.ForeignKey("plan_version.id"))
    counselling_note_id = mapped_column(sa.Uuid, sa.ForeignKey("note.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    updated_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    # the person's agreement
    agreed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    agreement_method: Mapped[AgreementMethod | None] = mapped_column(
        enum_column(AgreementMethod, length=24))
    witness_name = encrypted_column(str)
    agreement_recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"))
    # in force since (after the approval, when one was needed)
    agreed_at = mapped_column(sa.DateTime)

    created_by = relationship("User", foreign_keys=[created_by_id])
    agreement_recorded_by = relationship("User", foreign_keys=[agreement_recorded_by_id])
    person = relationship("Person")
    goals = relationship("PlanGoal", order_by="PlanGoal.position", back_populates="version",
                         cascade="all, delete-orphan")
    actions = relationship("PlanAction", order_by="PlanAction.position",
                           back_populates="version", cascade="all, delete-orphan")

    @property
    def is_draft(self):
        return self.status == PlanStatus.DRAFT

    @property
    def total_budget(self) -> int:
        return sum(a.budget or 0 for a in self.actions)


class PlanGoal(db.Model):
    __tablename__ = "plan_goal"
    __crypto_owner__ = "person_id"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    version_id = mapped_column(sa.Uuid, sa.ForeignKey("plan_version.id"), nullable=False,
                               index=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    text = encrypted_column(str)
    version = relationship("PlanVersion", back_populates="goals")


class PlanAction(db.Model):
    """What is done to reach the goals. Its content is fixed with its version; its progress
    (status, and the referral or entitlement carrying it out) is kept up to date on the
    version in force. When linked, the shown status follows the referral or entitlement."""

    __tablename__ = "plan_action"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        sa.CheckConstraint("owner_is_person = (owner_id IS NULL)",
                           name="one_owner"),
        sa.CheckConstraint("referral_id IS NULL OR entitlement_id IS NULL",
                           name="one_carrier"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    version_id = mapped_column(sa.Uuid, sa.ForeignKey("plan_version.id"), nullable=False,
                               index=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    description = encrypted_column(str)
    action_type: Mapped[ActionType] = mapped_column(enum_column(ActionType, length=16),
                                                    nullable=False)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    owner_is_person: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    due_date: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    budget: Mapped[int | None] = mapped_column(sa.Integer)  # XAF, no minor unit
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, length=16),
                                                 nullable=False, default=ActionStatus.PLANNED)
    referral_id = mapped_column(sa.Uuid, sa.ForeignKey("referral.id"), index=True)
    entitlement_id = mapped_column(sa.Uuid, sa.ForeignKey("entitlement.id"), index=True)

    version = relationship("PlanVersion", back_populates="actions")
    owner = relationship("User")
    referral = relationship("Referral")
    entitlement = relationship("Entitlement")

    @property
    def carrier(self):
        return self.referral or self.entitlement

    @property
    def shown_status(self) -> ActionStatus:
        from icrs.plans.links import carrier_status
        return carrier_status(self.carrier) or self.status

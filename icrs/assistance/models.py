"""The catalogue (FundingSource, AssistanceType with its KitItems, ProgrammePeriod), the
Entitlement of a person and its ledger of Handovers.

Amounts are whole numbers of the currency's smallest unit (XAF has no minor unit), plain: with
the type, status and dates they are coded, non-identifying and summed in SQL (caps, reports).
What may say something about the person (a justification, a witness's name, a reversal's
reason) is encrypted under the person's data key."""
import datetime as dt
import uuid

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.assistance.states import COMMITTED, EntitlementStatus
from icrs.core.enums import LabelledEnum, enum_column
from icrs.core.models import BilingualNameMixin, new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db

DEFAULT_CURRENCY = "XAF"


class AssistanceKind(LabelledEnum):
    KIT = "kit", _l("Kit (tools, equipment)")
    CASH_GRANT = "cash_grant", _l("Cash grant")
    INSTALMENT_PLAN = "instalment_plan", _l("Instalment plan")
    IN_KIND = "in_kind", _l("In-kind support")
    VOUCHER = "voucher", _l("Voucher")
    SERVICE_FEE = "service_fee", _l("Service fee")


class ReceiptMethod(LabelledEnum):
    PAPER_SIGNATURE = "paper_signature", _l("Signed on paper (photo of the form)")
    THUMBPRINT = "thumbprint", _l("Thumbprint, declared with a witness")
    # offered only where the signature pad's script runs (icrs/static/js/signature.js)
    SCREEN_SIGNATURE = "screen_signature", _l("Signed on screen")


class FundingSource(db.Model):
    __tablename__ = "funding_source"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    donor: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    project: Mapped[str | None] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)

    @property
    def label(self):
        return f"{self.name} ({self.donor})"


class ProgrammePeriod(db.Model):
    """A stretch of the programme (a year, a phase): the per-period caps count within it."""

    __tablename__ = "programme_period"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="period_ends_after_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True, nullable=False)
    starts_on: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    ends_on: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class AssistanceType(BilingualNameMixin, db.Model):
    """What a person may be entitled to. Retired, never deleted: entitlements point at it.
    Eligibility lists (category codes, "pathway" codes, region ids) empty = everyone."""

    __tablename__ = "assistance_type"
    __table_args__ = (
        sa.CheckConstraint("unit_value > 0", name="assistance_unit_value_positive"),
        sa.CheckConstraint("(cap_per_person IS NULL OR cap_per_person > 0) AND "
                           "(cap_per_household IS NULL OR cap_per_household > 0) AND "
                           "(cap_per_period IS NULL OR cap_per_period > 0)",
                           name="assistance_caps_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True, nullable=False)
    kind: Mapped[AssistanceKind] = mapped_column(enum_column(AssistanceKind), nullable=False)
    unit_value: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    currency: Mapped[str] = mapped_column(sa.String(3), nullable=False, default=DEFAULT_CURRENCY)
    funding_source_id: Mapped[int] = mapped_column(sa.ForeignKey("funding_source.id"),
                                                   nullable=False)
    eligible_categories: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    eligible_pathways: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    eligible_regions: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    cap_per_person: Mapped[int | None] = mapped_column(sa.Integer)
    cap_per_household: Mapped[int | None] = mapped_column(sa.Integer)
    cap_per_period: Mapped[int | None] = mapped_column(sa.Integer)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)

    funding_source = relationship("FundingSource")
    items = relationship("KitItem", order_by="KitItem.position", cascade="all, delete-orphan",
                         back_populates="assistance_type")

    @property
    def is_kit(self):
        return self.kind == AssistanceKind.KIT


class KitItem(db.Model):
    __tablename__ = "kit_item"
    __table_args__ = (sa.CheckConstraint("quantity > 0", name="kit_item_quantity_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assistance_type_id: Mapped[int] = mapped_column(sa.ForeignKey("assistance_type.id"),
                                                    nullable=False, index=True)
    name_fr: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    quantity: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    assistance_type = relationship("AssistanceType", back_populates="items")

    @property
    def name(self):
        return self.name_en if str(get_locale() or "fr").startswith("en") else self.name_fr


GRANTED_SQL = ("(status IN ('approved', 'partly_disbursed', 'disbursed', 'verified')) = "
               "(approved_at IS NOT NULL)")


class Entitlement(db.Model):
    __tablename__ = "entitlement"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.Index("ix_entitlement_person_type", "person_id", "assistance_type_id", "status"),
        sa.CheckConstraint("amount > 0", name="entitlement_amount_positive"),
        sa.CheckConstraint("disbursed >= 0 AND disbursed <= amount",
                           name="entitlement_disbursed_within_amount"),
        sa.CheckConstraint(GRANTED_SQL, name="entitlement_approved_iff_granted"),
        sa.CheckConstraint("status NOT IN ('disbursed', 'verified') OR disbursed = amount",
                           name="entitlement_disbursed_iff_full"),
        sa.CheckConstraint("status <> 'partly_disbursed' OR (disbursed > 0 AND "
                           "disbursed < amount)", name="entitlement_partly_iff_some"),
        sa.CheckConstraint("approved_by_id IS NULL OR approved_by_id <> proposed_by_id",
                           name="entitlement_approved_by_second_person"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False)
    assistance_type_id: Mapped[int] = mapped_column(sa.ForeignKey("assistance_type.id"),
                                                    nullable=False)
    plan_id = mapped_column(sa.Uuid, sa.ForeignKey("plan_version.id"))  # in force then
    period_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme_period.id"))
    # a member's share of a grant made out to a community group (icrs.groups)
    group_grant_id = mapped_column(sa.Uuid, sa.ForeignKey("group_grant.id"), index=True)
    amount: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    currency: Mapped[str] = mapped_column(sa.String(3), nullable=False)
    disbursed: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    status: Mapped[EntitlementStatus] = mapped_column(
        enum_column(EntitlementStatus, length=16), nullable=False,
        default=EntitlementStatus.PROPOSED)
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                nullable=False)
    proposed_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    approved_at = mapped_column(sa.DateTime)
    justification = encrypted_column(str)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    person = relationship("Person")
    assistance_type = relationship("AssistanceType")
    period = relationship("ProgrammePeriod")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    @property
    def remaining(self):
        return self.amount - self.disbursed if self.status in COMMITTED else 0


class Handover(db.Model):
    """One line of the ledger: something handed over (value > 0, with the person's receipt), or
    the reversal of such a line (value < 0, pointing at it). Never edited, never deleted."""

    __tablename__ = "handover"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.Index("ix_handover_entitlement", "entitlement_id", "recorded_at"),
        sa.CheckConstraint("(reverses_id IS NULL AND value > 0) OR "
                           "(reverses_id IS NOT NULL AND value < 0)",
                           name="handover_value_sign"),
        sa.CheckConstraint("(reverses_id IS NULL) = (receipt_method IS NOT NULL)",
                           name="handover_receipt_iff_given"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    entitlement_id = mapped_column(sa.Uuid, sa.ForeignKey("entitlement.id"), nullable=False)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    handed_on: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False)
    value: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    # [{"item": KitItem id, "quantity": n}] for a kit; negative quantities on a reversal
    items: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    given_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    recorded_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    reverses_id = mapped_column(sa.Uuid, sa.ForeignKey("handover.id"), unique=True)
    receipt_method: Mapped[ReceiptMethod | None] = mapped_column(
        enum_column(ReceiptMethod, length=24))
    witness_name = encrypted_column(str)
    receipt_attachment_id = mapped_column(sa.Uuid, sa.ForeignKey("attachment.id",
                                                                 ondelete="SET NULL"))
    note = encrypted_column(str)  # a reversal's reason

    entitlement = relationship("Entitlement")
    site = relationship("Site")
    given_by = relationship("User")
    reverses = relationship("Handover", remote_side=[id])

    @property
    def is_reversal(self):
        return self.reverses_id is not None


class ReceiptCheck(LabelledEnum):
    CONFIRMED = "confirmed", _l("Yes, the person confirms receipt")
    DENIED = "denied", _l("No, the person says it was not received")
    NOT_REACHED = "not_reached", _l("The person could not be reached")


class UseCheck(LabelledEnum):
    IN_USE = "in_use", _l("In use")
    PARTLY = "partly", _l("Partly in use")
    NOT_IN_USE = "not_in_use", _l("Not in use")
    SOLD_OR_LOST = "sold_or_lost", _l("Sold or lost")
    NOT_APPLICABLE = "not_applicable", _l("Not applicable")


DISCREPANT_USE = frozenset({UseCheck.NOT_IN_USE, UseCheck.SOLD_OR_LOST})


class SpotCheck(db.Model):
    """One handover drawn for verification, assigned to a supervisor of the case's region (never
    the person who recorded it), and what the check found. The outcome is coded; the note may
    say something about the person: encrypted under their key, shredded with them."""

    __tablename__ = "spot_check"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.Index("ix_spot_check_assigned_open", "assigned_to_id", "done_at"),
        sa.CheckConstraint("(done_at IS NULL) = (done_by_id IS NULL) AND "
                           "(done_at IS NULL) = (receipt IS NULL) AND "
                           "(done_at IS NULL) = (goods_use IS NULL)",
                           name="spot_check_outcome_iff_done"),
        sa.CheckConstraint("done_at IS NOT NULL OR NOT discrepancy",
                           name="spot_check_discrepancy_when_done"),
    )
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    handover_id = mapped_column(sa.Uuid, sa.ForeignKey("handover.id"), nullable=False,
                                unique=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    assigned_to_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                nullable=False)
    drawn_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    done_at = mapped_column(sa.DateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    receipt: Mapped[ReceiptCheck | None] = mapped_column(enum_column(ReceiptCheck, length=16))
    goods_use: Mapped[UseCheck | None] = mapped_column(enum_column(UseCheck, length=16))
    discrepancy: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    note = encrypted_column(str)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    handover = relationship("Handover")
    person = relationship("Person")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])
    drawn_by = relationship("User", foreign_keys=[drawn_by_id])
    done_by = relationship("User", foreign_keys=[done_by_id])

    @property
    def is_done(self):
        return self.done_at is not None

    @property
    def confirmed(self):
        return self.receipt == ReceiptCheck.CONFIRMED and not self.discrepancy

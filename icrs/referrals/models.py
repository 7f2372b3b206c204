"""Referral (person → service, the shared packet, deadlines, outcome) and its event history.

What the person said or what the caseworker wrote about them is encrypted under the person's data
key; codes, dates and ids stay plain for inboxes, deadlines and dashboards.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.auth.roles import Role
from icrs.core.enums import enum_column
from icrs.core.models import new_uuid
from icrs.core.timeutil import today, utcnow
from icrs.core.vocab import PersonCategory, Sex
from icrs.crypto import encrypted_column
from icrs.extensions import db
from icrs.referrals import vocabularies  # noqa: F401 - registers the lists the models name
from icrs.referrals.states import (
    ACTIVE_SERVICE,
    Outcome,
    Priority,
    ReferralStatus,
    can_acknowledge,
)


class Referral(db.Model):
    __tablename__ = "referral"
    __crypto_owner__ = "person_id"
    __table_args__ = (
        sa.Index("ix_referral_org_status", "organisation_id", "status"),
        sa.Index("ix_referral_status_accept_by", "status", "accept_by"),
        sa.Index("ix_referral_status_complete_by", "status", "complete_by"),
        # staff lists (per person of a site: counts, overdue, order) from the index alone
        sa.Index("ix_referral_person_list", "person_id", "status", "accept_by", "complete_by",
                 "created_at", "id"),
        # staff lists of a site or a region: tab counts, overdue count and order, no join
        sa.Index("ix_referral_site_list", "person_site_id", "status", "accept_by", "complete_by",
                 "created_at", "id", "person_id"),
        sa.Index("ix_referral_region_list", "person_region_id", "status", "accept_by",
                 "complete_by", "created_at", "id", "person_id"),
        # dashboard (covering): referrals sent in a period, with their person's dimensions
        sa.Index("ix_referral_sent_dashboard", "sent_at", "person_region_id", "person_site_id",
                 "person_sex", "person_category", "person_birth_year", "status", "service_id",
                 "organisation_id", "accepted_at", "finished_at"),
        sa.CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL",
                           name="declined_has_reason"),
        sa.CheckConstraint("status NOT IN ('completed', 'not_completed') OR outcome IS NOT NULL",
                           name="finished_has_outcome"),
        sa.CheckConstraint("status = 'draft' OR sent_at IS NOT NULL", name="sent_has_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    service_id = mapped_column(sa.Uuid, sa.ForeignKey("service.id"), nullable=False, index=True)
    # the service's organisation when referred: scopes the provider inbox without a join
    organisation_id = mapped_column(sa.Uuid, sa.ForeignKey("organisation.id"), nullable=False)
    # The person's coarse dimensions, copied so that the dashboard groups referrals without
    # joining 300,000 of them to their people; icrs.referrals.dimensions keeps them equal.
    person_region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False)
    person_site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False)
    person_sex: Mapped[Sex] = mapped_column(enum_column(Sex), nullable=False)
    person_category: Mapped[PersonCategory] = mapped_column(enum_column(PersonCategory),
                                                            nullable=False)
    person_birth_year: Mapped[int | None] = mapped_column(sa.Integer)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority), nullable=False,
                                               default=Priority.NORMAL)
    status: Mapped[ReferralStatus] = mapped_column(
        enum_column(ReferralStatus, name="referral_status"), nullable=False,
        default=ReferralStatus.DRAFT)

    # what the caseworker writes, and what they chose to share (field names, not values)
    reason = encrypted_column(str)
    needs = encrypted_column(str)
    share: Mapped[list] = mapped_column(sa.JSON, nullable=False, default=list)
    # the snapshot the provider sees, frozen at sending
    packet = encrypted_column("json")
    consent_id = mapped_column(sa.Uuid, sa.ForeignKey("consent.id"))
    # a pseudonym the packet carries instead of the name (GBV services, icrs.referrals.sensitive);
    # random, never derived from the person: plain so that it stays unique
    survivor_code: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    packet_hidden_at = mapped_column(sa.DateTime)  # consent withdrawn after sending

    sent_at = mapped_column(sa.DateTime)
    accept_by = mapped_column(sa.DateTime)
    complete_by = mapped_column(sa.Date)
    responded_at = mapped_column(sa.DateTime)
    accepted_at = mapped_column(sa.DateTime)
    finished_at = mapped_column(sa.DateTime)
    holds_slot: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)

    # a code of the "decline_reason" list (icrs.referrals.vocabularies)
    decline_reason: Mapped[str | None] = mapped_column(sa.String(32))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    outcome_note = encrypted_column(str)  # or the decline note

    acknowledged_at = mapped_column(sa.DateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    next_step = encrypted_column(str)

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    person = relationship("Person")
    service = relationship("Service")
    organisation = relationship("Organisation")
    created_by = relationship("User", foreign_keys=[created_by_id])
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])
    events = relationship("ReferralEvent", back_populates="referral",
                          order_by="ReferralEvent.at", cascade="all, delete-orphan")

    def crypto_owner_id(self):
        return self.person_id

    @property
    def reference(self):
        """Short, non-personal reference for lists, mail and phone calls."""
        return str(self.id).split("-")[0].upper()

    # --- deadlines ----------------------------------------------------------------------------
    def overdue_to_accept(self, now=None):
        return (self.status == ReferralStatus.SENT and self.accept_by is not None
                and self.accept_by < (now or utcnow()))

    def overdue_to_complete(self, on=None):
        return (self.status in ACTIVE_SERVICE and self.complete_by is not None
                and self.complete_by < (on or today()))

    @property
    def is_overdue(self):
        return self.overdue_to_accept() or self.overdue_to_complete()

    @property
    def needs_acknowledgement(self):
        return can_acknowledge(self.status, self.acknowledged_at is not None)

    # --- access -------------------------------------------------------------------------------
    def can_view(self, user):
        """Caseworkers and supervisors through the person; providers through their organisation
        (and never a draft)."""
        if not user.can("referrals.view"):
            return False
        if user.role == Role.PROVIDER:
            return self.is_for_provider(user)
        return self.person.can_view(user)

    def is_for_provider(self, user):
        return (user.role == Role.PROVIDER and user.organisation_id is not None
                and user.organisation_id == self.organisation_id
                and self.status != ReferralStatus.DRAFT)

    def can_manage(self, user):
        """Send, withdraw, acknowledge: the person's assigned caseworker."""
        return user.can("referrals.create") and self.person.can_edit(user)

    def can_respond(self, user):
        return user.can("referrals.respond") and self.is_for_provider(user)


class ReferralEvent(db.Model):
    """One change in a referral's life: status, actor, time, optional note (encrypted)."""

    __tablename__ = "referral_event"
    __crypto_owner__ = "person_id"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    referral_id = mapped_column(sa.Uuid, sa.ForeignKey("referral.id"), nullable=False,
                                index=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.String(24), nullable=False, default="status")
    from_status: Mapped[ReferralStatus | None] = mapped_column(
        enum_column(ReferralStatus, name="referral_event_from"))
    to_status: Mapped[ReferralStatus | None] = mapped_column(
        enum_column(ReferralStatus, name="referral_event_to"))
    at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    note = encrypted_column(str)

    referral = relationship("Referral", back_populates="events")
    actor = relationship("User")

    def crypto_owner_id(self):
        return self.person_id


EVENT_KINDS = ("status", "acknowledged", "consent_withdrawn")


from icrs.referrals import dimensions  # noqa: E402,F401  (registers the flush hook)

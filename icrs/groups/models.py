"""Community groups, their members, meetings, plan, follow-ups, grants and referrals.

A group's name, type, status, counts, plan and cohesion answers are about the group and are
not personal data: plain. Who is a member is personal (a member list says who took part in a
programme for ex-associates): the membership rows are read only by the case readers of the
group's area, each reading audited (icrs.groups.services)."""
import datetime as dt
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.enums import LabelledEnum, enum_column
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.groups.cohesion import WorkingTogether
from icrs.groups.states import GroupStatus


class GroupType(LabelledEnum):
    COOPERATIVE = "cooperative", _l("Cooperative")
    IGA = "iga", _l("Income-generating activity group")
    VSLA = "vsla", _l("Savings group (VSLA)")
    CVR_TEAM = "cvr_team", _l("Community violence reduction work team")
    PEER_SUPPORT = "peer_support", _l("Peer-support group")
    SPORTS_CULTURE = "sports_culture", _l("Sports or culture group")


class MemberRole(LabelledEnum):
    PRESIDENT = "president", _l("President")
    TREASURER = "treasurer", _l("Treasurer")
    SECRETARY = "secretary", _l("Secretary")
    MEMBER = "member", _l("Member")


class CommunityGroup(db.Model):
    __tablename__ = "community_group"
    __table_args__ = (sa.Index("ix_community_group_site_status", "site_id", "status"),)
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    group_type: Mapped[GroupType] = mapped_column(enum_column(GroupType, 16), nullable=False)
    status: Mapped[GroupStatus] = mapped_column(enum_column(GroupStatus, 16), nullable=False,
                                                default=GroupStatus.FORMING)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), nullable=False)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False)
    facilitator_id = mapped_column(sa.Uuid, sa.ForeignKey("organisation.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    status_changed_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    # the group plan: what the group does, its goals, the inputs it needs (about the group)
    plan_activity: Mapped[str | None] = mapped_column(sa.String(200))
    plan_goals: Mapped[str | None] = mapped_column(sa.Text)
    plan_inputs: Mapped[str | None] = mapped_column(sa.Text)
    plan_updated_at = mapped_column(sa.DateTime)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    site = relationship("Site")
    facilitator = relationship("Organisation")
    memberships = relationship("GroupMembership", back_populates="group",
                               order_by="GroupMembership.joined_on")

    @property
    def current_members(self):
        return [m for m in self.memberships if m.left_on is None]


class GroupMembership(db.Model):
    __tablename__ = "group_membership"
    __table_args__ = (
        sa.Index("ix_group_membership_group", "group_id", "left_on"),
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on",
                           name="membership_left_after_joined"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id = mapped_column(sa.Uuid, sa.ForeignKey("community_group.id"), nullable=False)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole, 16), nullable=False,
                                             default=MemberRole.MEMBER)
    joined_on: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    left_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    group = relationship("CommunityGroup", back_populates="memberships")
    person = relationship("Person")


class GroupMeeting(db.Model):
    __tablename__ = "group_meeting"
    __table_args__ = (sa.CheckConstraint("attendance >= 0", name="meeting_attendance"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id = mapped_column(sa.Uuid, sa.ForeignKey("community_group.id"), nullable=False,
                             index=True)
    held_on: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    attendance: Mapped[int] = mapped_column(sa.Integer, nullable=False)  # a count, never names
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)


class GroupFollowUp(db.Model):
    """One visit to the group and its answers to the social-cohesion questions
    (icrs.groups.cohesion). Recorded by a caseworker or by the facilitating provider."""

    __tablename__ = "group_follow_up"
    __table_args__ = (
        sa.Index("ix_group_follow_up_group_visit", "group_id", "visited_on"),
        sa.CheckConstraint("trust BETWEEN 1 AND 5", name="cohesion_trust_range"),
        sa.CheckConstraint("participation BETWEEN 1 AND 5", name="cohesion_participation_range"),
        sa.CheckConstraint("conflicts_resolved >= 0", name="cohesion_conflicts_count"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id = mapped_column(sa.Uuid, sa.ForeignKey("community_group.id"), nullable=False)
    visited_on: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    trust: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    participation: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    conflicts_resolved: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    working_together: Mapped[WorkingTogether] = mapped_column(enum_column(WorkingTogether, 8),
                                                              nullable=False)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    recorded_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    recorded_by = relationship("User")


class GroupGrant(db.Model):
    """Assistance made out to a group: one entitlement per current member (the member's share,
    `Entitlement.group_grant_id`), each approved and handed over through the ordinary ledger."""

    __tablename__ = "group_grant"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    group_id = mapped_column(sa.Uuid, sa.ForeignKey("community_group.id"), nullable=False,
                             index=True)
    assistance_type_id: Mapped[int] = mapped_column(sa.ForeignKey("assistance_type.id"),
                                                    nullable=False)
    total: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    currency: Mapped[str] = mapped_column(sa.String(3), nullable=False)
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                nullable=False)
    proposed_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    assistance_type = relationship("AssistanceType")
    shares = relationship("Entitlement", lazy="select",
                          primaryjoin="GroupGrant.id == foreign(Entitlement.group_grant_id)",
                          viewonly=True)


class GroupReferral(db.Model):
    """The whole group referred to a provider's service (a training for the group): one
    record, no member's data leaves with it (the provider learns the group's name and size)."""

    __tablename__ = "group_referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id = mapped_column(sa.Uuid, sa.ForeignKey("community_group.id"), nullable=False,
                             index=True)
    organisation_id = mapped_column(sa.Uuid, sa.ForeignKey("organisation.id"), nullable=False,
                                    index=True)
    service_category: Mapped[str] = mapped_column(sa.String(48), nullable=False)
    referred_on: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    referred_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    organisation = relationship("Organisation")

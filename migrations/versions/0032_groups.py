"""community-based reintegration (issue 24): community members and community groups.

The person gets its beneficiary kind (ex-associate, the default for every existing case, or
community member) and a community member's category (a code of the "community_category"
list; present exactly for community members). New tables: community_group (name, type,
status, site and region, facilitating organisation, the group plan), group_membership (who,
role, joined and left), group_meeting (attendance count only), group_follow_up (the coded
social-cohesion answers), group_grant (a grant made out to a group) with the entitlement's
nullable group_grant_id (each member's share is an ordinary entitlement of the ledger) and
group_referral (the whole group referred to an organisation).

Revision ID: 0017_groups
Revises: 0016_sms
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_groups"
down_revision = "0016_sms"
branch_labels = None
depends_on = None


def _enum(name, length, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def _fk(table, column, target):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def _user(table, column):
    return sa.Column(column, sa.Integer(), nullable=False), _fk(table, column, "user_account")


def _group(table):
    return (sa.Column("group_id", sa.Uuid(), nullable=False),
            _fk(table, "group_id", "community_group"))


def _pk(table, kind=sa.Integer):
    return (sa.Column("id", kind(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")))


def _indexes(table, *indexes):
    with op.batch_alter_table(table) as batch:
        for name, columns in indexes:
            batch.create_index(name or batch.f(f"ix_{table}_{columns[0]}"), list(columns))


def _community_group():
    op.create_table(
        "community_group", *_pk("community_group", sa.Uuid),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("group_type", _enum("grouptype", 16, "cooperative", "iga", "vsla", "cvr_team",
                                      "peer_support", "sports_culture"), nullable=False),
        sa.Column("status", _enum("groupstatus", 16, "forming", "active", "self_reliant",
                                  "dissolved"), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Uuid(), nullable=True),
        *_user("community_group", "created_by_id"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(), nullable=False),
        sa.Column("plan_activity", sa.String(length=200), nullable=True),
        sa.Column("plan_goals", sa.Text(), nullable=True),
        sa.Column("plan_inputs", sa.Text(), nullable=True),
        sa.Column("plan_updated_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("community_group", "facilitator_id", "organisation"),
        _fk("community_group", "region_id", "region"),
        _fk("community_group", "site_id", "site"))
    _indexes("community_group", (None, ("facilitator_id",)),
             ("ix_community_group_site_status", ("site_id", "status")))


def _group_rows():
    op.create_table(
        "group_membership", *_pk("group_membership"), *_group("group_membership"),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("role", _enum("memberrole", 16, "president", "treasurer", "secretary",
                                "member"), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on",
                           name=op.f("ck_group_membership_membership_left_after_joined")),
        _fk("group_membership", "person_id", "person"))
    _indexes("group_membership", ("ix_group_membership_group", ("group_id", "left_on")),
             (None, ("person_id",)))
    op.create_table(
        "group_meeting", *_pk("group_meeting"), *_group("group_meeting"),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendance", sa.Integer(), nullable=False),
        *_user("group_meeting", "recorded_by_id"),
        sa.CheckConstraint("attendance >= 0", name=op.f("ck_group_meeting_meeting_attendance")))
    _indexes("group_meeting", (None, ("group_id",)))
    op.create_table(
        "group_follow_up", *_pk("group_follow_up"), *_group("group_follow_up"),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("trust", sa.SmallInteger(), nullable=False),
        sa.Column("participation", sa.SmallInteger(), nullable=False),
        sa.Column("conflicts_resolved", sa.SmallInteger(), nullable=False),
        sa.Column("working_together", _enum("workingtogether", 8, "yes", "partly", "no"),
                  nullable=False),
        *_user("group_follow_up", "recorded_by_id"),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("conflicts_resolved >= 0",
                           name=op.f("ck_group_follow_up_cohesion_conflicts_count")),
        sa.CheckConstraint("participation BETWEEN 1 AND 5",
                           name=op.f("ck_group_follow_up_cohesion_participation_range")),
        sa.CheckConstraint("trust BETWEEN 1 AND 5",
                           name=op.f("ck_group_follow_up_cohesion_trust_range")))
    _indexes("group_follow_up", ("ix_group_follow_up_group_visit", ("group_id", "visited_on")))
    op.create_table(
        "group_grant", *_pk("group_grant", sa.Uuid), *_group("group_grant"),
        sa.Column("assistance_type_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_user("group_grant", "proposed_by_id"),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        _fk("group_grant", "assistance_type_id", "assistance_type"))
    _indexes("group_grant", (None, ("group_id",)))
    op.create_table(
        "group_referral", *_pk("group_referral"), *_group("group_referral"),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("service_category", sa.String(length=48), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        *_user("group_referral", "referred_by_id"),
        _fk("group_referral", "organisation_id", "organisation"))
    _indexes("group_referral", (None, ("group_id",)), (None, ("organisation_id",)))


def upgrade():
    _community_group()
    _group_rows()
    with op.batch_alter_table("entitlement") as batch:
        batch.add_column(sa.Column("group_grant_id", sa.Uuid(), nullable=True))
        batch.create_index(batch.f("ix_entitlement_group_grant_id"), ["group_grant_id"])
        batch.create_foreign_key(batch.f("fk_entitlement_group_grant_id_group_grant"),
                                 "group_grant", ["group_grant_id"], ["id"])
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column(
            "beneficiary_kind", _enum("beneficiarykind", 24, "ex_associate", "community_member"),
            server_default="ex_associate", nullable=False))
        batch.add_column(sa.Column("community_category", sa.String(length=32), nullable=True))
        batch.create_check_constraint(
            op.f("ck_person_community_category_iff_member"),
            "(beneficiary_kind = 'community_member') = (community_category IS NOT NULL)")


def downgrade():
    with op.batch_alter_table("person") as batch:
        for name in ("community_category_iff_member", "beneficiarykind"):
            batch.drop_constraint(batch.f(f"ck_person_{name}"), type_="check")
        batch.drop_column("community_category")
        batch.drop_column("beneficiary_kind")
    with op.batch_alter_table("entitlement") as batch:
        batch.drop_constraint(batch.f("fk_entitlement_group_grant_id_group_grant"),
                              type_="foreignkey")
        batch.drop_index(batch.f("ix_entitlement_group_grant_id"))
        batch.drop_column("group_grant_id")
    for table in ("group_referral", "group_grant", "group_follow_up", "group_meeting",
                  "group_membership", "community_group"):
        op.drop_table(table)

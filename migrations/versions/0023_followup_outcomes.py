"""structured follow-up visits (coded outcomes, plain: non-identifying and needed in aggregates),
follow-ups scheduled once per event and offset, and the sustainability baseline

Revision ID: 0011_followup_outcomes
Revises: 0010_assistance
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_followup_outcomes"
down_revision = "0010_assistance"
branch_labels = None
depends_on = None

WHO5 = ("who5_cheerful", "who5_calm", "who5_active", "who5_rested", "who5_interest")


def _enum(name, length, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def _items():
    """The coded items shared by a visit and the baseline (fresh objects for each table)."""
    return [
        sa.Column("activity", _enum("activity", 16, "none", "own_business", "employed",
                                    "farming", "training", "studies", "other"), nullable=True),
        sa.Column("income_band", _enum("incomeband", 16, "none", "lt25k", "25k_50k",
                                       "50k_100k", "gt100k"), nullable=True),
        sa.Column("business_running", _enum("stillrunning", 8, "yes", "no", "na"),
                  nullable=True),
        sa.Column("housing", _enum("housing", 16, "stable", "temporary", "none"), nullable=True),
        sa.Column("family_acceptance", sa.SmallInteger(), nullable=True),
        sa.Column("community_acceptance", sa.SmallInteger(), nullable=True),
        sa.Column("safety", _enum("safety", 16, "none", "some", "serious"), nullable=True),
    ]


def upgrade():
    with op.batch_alter_table("follow_up") as batch:
        batch.add_column(sa.Column("source_kind", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("source_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("offset_months", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("visit_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("visit_type", _enum("visittype", 16, "home", "phone",
                                                       "centre", "group"), nullable=True))
        for column in _items():
            batch.add_column(column)
        for name in WHO5:
            batch.add_column(sa.Column(name, sa.SmallInteger(), nullable=True))
        batch.create_unique_constraint(batch.f("uq_follow_up_source"), [
            "person_id", "source_kind", "source_id", "offset_months"])
        batch.create_check_constraint(batch.f("ck_follow_up_source_pair"),
                                      "(source_kind IS NULL) = (source_id IS NULL)")
        for name in ("family_acceptance", "community_acceptance"):
            batch.create_check_constraint(batch.f(f"ck_follow_up_{name}_range"),
                                          f"{name} IS NULL OR {name} BETWEEN 1 AND 4")
        for name in WHO5:
            batch.create_check_constraint(batch.f(f"ck_follow_up_{name}_range"),
                                          f"{name} IS NULL OR {name} BETWEEN 0 AND 5")
    op.create_table(
        "sustainability_baseline",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("profile_version_id", sa.Uuid(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        *_items(),
        sa.Column("who5_raw", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_sustainability_baseline_person_id_person")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_sustainability_baseline")),
    )


def downgrade():
    op.drop_table("sustainability_baseline")
    with op.batch_alter_table("follow_up") as batch:
        batch.drop_constraint(batch.f("uq_follow_up_source"), type_="unique")
        for name in ("visittype", "activity", "incomeband", "stillrunning", "housing", "safety",
                     "source_pair", "family_acceptance_range", "community_acceptance_range",
                     *(f"{n}_range" for n in WHO5)):
            batch.drop_constraint(batch.f(f"ck_follow_up_{name}"), type_="check")
        for name in ("source_kind", "source_id", "offset_months", "visit_date", "visit_type",
                     "activity", "income_band", "business_running", "housing",
                     "family_acceptance", "community_acceptance", "safety", *WHO5):
            batch.drop_column(name)

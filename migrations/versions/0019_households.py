"""households: household and household_member (codes only), a person in at most one current
household and a household with one current head (partial unique indexes)

Revision ID: 0010_households
Revises: 0009_lists2
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_households"
down_revision = "0009_lists2"
branch_labels = None
depends_on = None

CURRENT = sa.text("left_at IS NULL")
CURRENT_HEAD = sa.text("relationship = 'head' AND left_at IS NULL")
RELATIONSHIPS = ("head", "spouse", "child", "parent", "sibling", "other_dependant")
REASONS = ("moved_out", "deceased", "other", "erased", "merged", "household_ended")


def upgrade():
    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_household_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"],
                                name=op.f("fk_household_region_id_region")),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_household_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_site_id"), ["site_id"], unique=False)

    op.create_table(
        "household_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("relationship", sa.Enum(*RELATIONSHIPS, name="relationship", native_enum=False,
                                          create_constraint=True, length=32), nullable=False),
        sa.Column("lives_together", sa.Boolean(), nullable=False),
        sa.Column("sex", sa.Enum("female", "male", name="sex", native_enum=False,
                                 create_constraint=True, length=32), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("joined_by_id", sa.Integer(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.Column("left_reason", sa.Enum(*REASONS, name="leftreason", native_enum=False,
                                         create_constraint=True, length=32), nullable=True),
        sa.Column("left_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("person_id IS NOT NULL OR (sex IS NOT NULL AND birth_year IS NOT NULL)",
                           name=op.f("ck_household_member_household_member_light_entry")),
        sa.CheckConstraint("person_id IS NULL OR (sex IS NULL AND birth_year IS NULL)",
                           name=op.f("ck_household_member_household_member_registered_from_case")),
        sa.CheckConstraint("relationship <> 'head' OR person_id IS NOT NULL",
                           name=op.f("ck_household_member_household_member_head_registered")),
        sa.CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100",
                           name=op.f("ck_household_member_household_member_birth_year")),
        sa.CheckConstraint("(left_at IS NULL) = (left_reason IS NULL)",
                           name=op.f("ck_household_member_household_member_left_reason_iff_left")),
        sa.CheckConstraint("(left_at IS NULL) = (left_by_id IS NULL)",
                           name=op.f("ck_household_member_household_member_left_by_iff_left")),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"],
                                name=op.f("fk_household_member_household_id_household")),
        sa.ForeignKeyConstraint(["joined_by_id"], ["user_account.id"],
                                name=op.f("fk_household_member_joined_by_id_user_account")),
        sa.ForeignKeyConstraint(["left_by_id"], ["user_account.id"],
                                name=op.f("fk_household_member_left_by_id_user_account")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_household_member_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
    )
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_member_household_id"), ["household_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_household_member_person_id"), ["person_id"],
                              unique=False)
        batch_op.create_index("ux_household_member_current_person", ["person_id"], unique=True,
                              postgresql_where=CURRENT, sqlite_where=CURRENT)
        batch_op.create_index("ux_household_member_current_head", ["household_id"], unique=True,
                              postgresql_where=CURRENT_HEAD, sqlite_where=CURRENT_HEAD)


def downgrade():
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.drop_index("ux_household_member_current_head")
        batch_op.drop_index("ux_household_member_current_person")
        batch_op.drop_index(batch_op.f("ix_household_member_person_id"))
        batch_op.drop_index(batch_op.f("ix_household_member_household_id"))
    op.drop_table("household_member")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_site_id"))
    op.drop_table("household")

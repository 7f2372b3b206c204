"""the person's dimensions on each referral, for the dashboard and lists (no person join)

Region, site, sex, category and birth year of the referral's person, copied (and kept equal by
icrs.referrals.dimensions), with the dashboard's covering index rebuilt on them and the staff
lists' indexes by site and by region.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEXES = ("female", "male")
CATEGORIES = ("adult_man", "adult_woman", "caafag", "person_with_disability", "dependant")
COPIED = {"person_region_id": "region_id", "person_site_id": "site_id", "person_sex": "sex",
          "person_category": "category", "person_birth_year": "birth_year"}
OLD_INDEX = ["sent_at", "person_id", "status", "service_id", "organisation_id", "accepted_at",
             "finished_at"]
NEW_INDEX = ["sent_at", "person_region_id", "person_site_id", "person_sex", "person_category",
             "person_birth_year", "status", "service_id", "organisation_id", "accepted_at",
             "finished_at"]

LIST_INDEXES = [
    ("ix_referral_site_list", "referral", ["person_site_id", "status", "accept_by", "complete_by",
                                           "created_at", "id", "person_id"]),
    ("ix_referral_region_list", "referral", ["person_region_id", "status", "accept_by",
                                             "complete_by", "created_at", "id", "person_id"]),
    ("ix_person_erased", "person", ["erased_at", "id"]),
    ("ix_stage_change_to_stage_at", "stage_change", ["to_stage", "at", "person_id", "reason"]),
]


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    with op.batch_alter_table("referral") as batch:
        batch.add_column(sa.Column("person_region_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("person_site_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("person_sex", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("person_category", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("person_birth_year", sa.Integer(), nullable=True))
    sets = ", ".join(f"{target} = (SELECT person.{source} FROM person "
                     "WHERE person.id = referral.person_id)" for target, source in COPIED.items())
    op.execute(f"UPDATE referral SET {sets}")
    with op.batch_alter_table("referral") as batch:
        for column in ("person_region_id", "person_site_id"):
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
        for column in ("person_sex", "person_category"):
            batch.alter_column(column, existing_type=sa.String(length=32), nullable=False)
        batch.create_check_constraint("sex", _in("person_sex", SEXES))
        batch.create_check_constraint("personcategory", _in("person_category", CATEGORIES))
        batch.create_foreign_key(op.f("fk_referral_person_region_id_region"), "region",
                                 ["person_region_id"], ["id"])
        batch.create_foreign_key(op.f("fk_referral_person_site_id_site"), "site",
                                 ["person_site_id"], ["id"])
        batch.drop_index("ix_referral_sent_dashboard")
        batch.create_index("ix_referral_sent_dashboard", NEW_INDEX, unique=False)
    for name, table, columns in LIST_INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(LIST_INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("referral") as batch:
        batch.drop_index("ix_referral_sent_dashboard")
        batch.create_index("ix_referral_sent_dashboard", OLD_INDEX, unique=False)
        batch.drop_constraint(op.f("fk_referral_person_site_id_site"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_referral_person_region_id_region"), type_="foreignkey")
        batch.drop_constraint(op.f("ck_referral_personcategory"), type_="check")
        batch.drop_constraint(op.f("ck_referral_sex"), type_="check")
        for column in reversed(list(COPIED)):
            batch.drop_column(column)

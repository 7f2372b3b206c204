"""the caseload import and case merging: saved column mappings (import_template), and a merged
case kept as a tombstone pointing at the case that survived (person.merged_into_id, merged_at)

Revision ID: 0009_caseload
Revises: 0008_lookups
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_caseload"
down_revision = "0008_lookups"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_template",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("mapping", sa.JSON, nullable=False),
        sa.Column("created_by_id", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_import_template_created_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_template")),
        sa.UniqueConstraint("name", name=op.f("uq_import_template_name")),
    )
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Uuid, nullable=True))
        batch.add_column(sa.Column("merged_at", sa.DateTime, nullable=True))
        batch.create_foreign_key(op.f("fk_person_merged_into_id_person"), "person",
                                 ["merged_into_id"], ["id"])
        batch.create_index(op.f("ix_person_merged_into_id"), ["merged_into_id"])
        batch.create_check_constraint(op.f("ck_person_merged_at_iff_merged"),
                                      "(merged_into_id IS NULL) = (merged_at IS NULL)")
        batch.create_check_constraint(op.f("ck_person_not_merged_into_itself"),
                                      "merged_into_id IS NULL OR merged_into_id <> id")


def downgrade():
    with op.batch_alter_table("person") as batch:
        batch.drop_constraint(op.f("ck_person_not_merged_into_itself"), type_="check")
        batch.drop_constraint(op.f("ck_person_merged_at_iff_merged"), type_="check")
        batch.drop_index(op.f("ix_person_merged_into_id"))
        batch.drop_constraint(op.f("fk_person_merged_into_id_person"), type_="foreignkey")
        batch.drop_column("merged_at")
        batch.drop_column("merged_into_id")
    op.drop_table("import_template")

"""places: OCHA administrative areas (adm1–adm3 p-codes); active flags on regions and sites;
a site's area and coordinates

Revision ID: 0008_places
Revises: 0007_h6
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_places"
down_revision = "0007_h6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "admin_area",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("pcode", sa.String(12), nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("parent_id", sa.Integer, nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("name_fr", sa.String(120), nullable=False),
        sa.Column("name_en", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_area")),
        sa.UniqueConstraint("pcode", name=op.f("uq_admin_area_pcode")),
        sa.ForeignKeyConstraint(["parent_id"], ["admin_area.id"],
                                name=op.f("fk_admin_area_parent_id_admin_area")),
        sa.CheckConstraint("level BETWEEN 1 AND 3", name=op.f("ck_admin_area_level_range")),
        sa.CheckConstraint("(level = 1) = (parent_id IS NULL)",
                           name=op.f("ck_admin_area_parent_iff_below")),
    )
    op.create_index(op.f("ix_admin_area_parent_id"), "admin_area", ["parent_id"])
    with op.batch_alter_table("region") as batch:
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False,
                                   server_default=sa.true()))
    with op.batch_alter_table("site") as batch:
        batch.add_column(sa.Column("active", sa.Boolean, nullable=False,
                                   server_default=sa.true()))
        batch.add_column(sa.Column("area_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("latitude", sa.Float, nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float, nullable=True))
        batch.create_foreign_key(op.f("fk_site_area_id_admin_area"), "admin_area", ["area_id"], ["id"])
        batch.create_index(op.f("ix_site_area_id"), ["area_id"])


def downgrade():
    with op.batch_alter_table("site") as batch:
        batch.drop_index(op.f("ix_site_area_id"))
        batch.drop_constraint(op.f("fk_site_area_id_admin_area"), type_="foreignkey")
        batch.drop_column("longitude")
        batch.drop_column("latitude")
        batch.drop_column("area_id")
        batch.drop_column("active")
    with op.batch_alter_table("region") as batch:
        batch.drop_column("active")
    op.drop_index(op.f("ix_admin_area_parent_id"), table_name="admin_area")
    op.drop_table("admin_area")

"""field device credentials for ODK Collect / KoBoCollect: one row per phone, the secret's
SHA-256 only; it expires and its user or an administrator may revoke it.

Revision ID: 0019_fielddev
Revises: 0018_qversions
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_fielddev"
down_revision = "0018_qversions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "field_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_field_device_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user_account.id"],
                                name=op.f("fk_field_device_revoked_by_id_user_account")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_field_device_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_device")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_field_device_token_hash")),
    )
    with op.batch_alter_table("field_device") as batch:
        batch.create_index(batch.f("ix_field_device_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("field_device") as batch:
        batch.drop_index(batch.f("ix_field_device_user_id"))
    op.drop_table("field_device")

"""partner tokens for the FHIR R4 API: one row per token a partner organisation's system
(GBVIMS+, Primero …) sends as `Authorization: Bearer`. Only the token's SHA-256 is kept; it
expires, and an administrator may revoke it.

Revision ID: 0013_fhir
Revises: 0012_signature
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_fhir"
down_revision = "0012_signature"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "partner_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_partner_token_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_partner_token_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_partner_token_token_hash")),
    )
    with op.batch_alter_table("partner_token") as batch:
        batch.create_index(batch.f("ix_partner_token_organisation_id"), ["organisation_id"],
                           unique=False)


def downgrade():
    with op.batch_alter_table("partner_token") as batch:
        batch.drop_index(batch.f("ix_partner_token_organisation_id"))
    op.drop_table("partner_token")

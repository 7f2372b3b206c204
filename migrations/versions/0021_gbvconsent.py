"""GBV and MHPSS referrals, survivor-centred: a sharing consent given for one referral (with the
field names and the packet read to the person), and the survivor code a GBV referral's packet
may carry instead of the name

Revision ID: 0010_gbvconsent
Revises: 0010_minors
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_gbvconsent"
down_revision = "0010_minors"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consent") as batch:
        batch.add_column(sa.Column("for_referral", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("shared_fields", sa.JSON(none_as_null=True), nullable=True))
        batch.add_column(sa.Column("shared_packet_ct", sa.LargeBinary(), nullable=True))
        batch.create_check_constraint(
            batch.f("ck_consent_referral_consent_is_sharing"),
            "NOT for_referral OR (purpose = 'sharing' AND shared_fields IS NOT NULL)")
    with op.batch_alter_table("referral") as batch:
        batch.add_column(sa.Column("survivor_code", sa.String(length=12), nullable=True))
        batch.create_unique_constraint(batch.f("uq_referral_survivor_code"), ["survivor_code"])


def downgrade():
    with op.batch_alter_table("referral") as batch:
        batch.drop_constraint(batch.f("uq_referral_survivor_code"), type_="unique")
        batch.drop_column("survivor_code")
    with op.batch_alter_table("consent") as batch:
        batch.drop_constraint(batch.f("ck_consent_referral_consent_is_sharing"), type_="check")
        batch.drop_column("shared_packet_ct")
        batch.drop_column("shared_fields")
        batch.drop_column("for_referral")

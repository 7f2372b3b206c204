"""SMS outbox: the SMS to providers (a new referral, the daily overdue reminder) written in the
transaction of the change and sent through the gateway after the commit (icrs.exchange.sms).
`to_number` is a provider's directory number, never a beneficiary's; `dedup_key` makes the
reminder once a day per organisation.

Revision ID: 0016_sms
Revises: 0015_links
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_sms"
down_revision = "0015_links"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("to_number", sa.String(length=20), nullable=False),
        sa.Column("body", sa.String(length=480), nullable=False),
        sa.Column("dedup_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("gateway_id", sa.String(length=64), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_sms_outbox_organisation_id_organisation"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_outbox")),
        sa.UniqueConstraint("dedup_key", name="sms_once"),
    )
    with op.batch_alter_table("sms_outbox") as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_outbox_organisation_id"), ["organisation_id"],
                              unique=False)
        batch_op.create_index("ix_sms_outbox_pending", ["sent_at", "attempts"], unique=False)


def downgrade():
    with op.batch_alter_table("sms_outbox") as batch_op:
        batch_op.drop_index("ix_sms_outbox_pending")
        batch_op.drop_index(batch_op.f("ix_sms_outbox_organisation_id"))
    op.drop_table("sms_outbox")

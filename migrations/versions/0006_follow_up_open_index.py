"""the open follow-ups index carries the person, for the dashboard's overdue counts

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_follow_up_open_due_person", "follow_up",
                    ["done_at", "due_date", "person_id"], unique=False)
    op.drop_index("ix_follow_up_open_due", table_name="follow_up")


def downgrade():
    op.create_index("ix_follow_up_open_due", "follow_up", ["done_at", "due_date"], unique=False)
    op.drop_index("ix_follow_up_open_due_person", table_name="follow_up")

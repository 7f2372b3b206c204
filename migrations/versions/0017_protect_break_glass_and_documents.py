"""need-to-know and documents: break-glass grants on a person's sensitive sections (reason
encrypted under the person's key), and case attachments stored encrypted in the database

Revision ID: 0009_protect
Revises: 0008_consent
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_protect"
down_revision = "0008_consent"
branch_labels = None
depends_on = None

KINDS = ("consent_form", "ddr_certificate", "id_card", "photo", "signed_plan", "restricted",
         "other")


def upgrade():
    op.create_table(
        "break_glass",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("reason_ct", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("expires_at > created_at",
                           name=op.f("ck_break_glass_break_glass_expires_after")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_break_glass_person_id_person")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_break_glass_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_break_glass")),
    )
    with op.batch_alter_table("break_glass") as batch:
        batch.create_index(batch.f("ix_break_glass_created_at"), ["created_at"])
        batch.create_index("ix_break_glass_grant", ["person_id", "user_id", "expires_at"])
        batch.create_index(batch.f("ix_break_glass_user_id"), ["user_id"])

    op.create_table(
        "attachment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Enum(*KINDS, name="attachmentkind", native_enum=False,
                                  create_constraint=True, length=32), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("file_name_ct", sa.LargeBinary(), nullable=False),
        sa.Column("content_ct", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("media_type IN ('application/pdf', 'image/jpeg', 'image/png')",
                           name=op.f("ck_attachment_attachment_media_type")),
        sa.CheckConstraint("size > 0", name=op.f("ck_attachment_attachment_size_positive")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_attachment_person_id_person")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user_account.id"],
                                name=op.f("fk_attachment_uploaded_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment") as batch:
        batch.create_index("ix_attachment_person_uploaded", ["person_id", "uploaded_at"])


def downgrade():
    with op.batch_alter_table("attachment") as batch:
        batch.drop_index("ix_attachment_person_uploaded")
    op.drop_table("attachment")
    with op.batch_alter_table("break_glass") as batch:
        batch.drop_index(batch.f("ix_break_glass_user_id"))
        batch.drop_index("ix_break_glass_grant")
        batch.drop_index(batch.f("ix_break_glass_created_at"))
    op.drop_table("break_glass")

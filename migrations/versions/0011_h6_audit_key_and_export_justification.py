"""the audit chain is keyed (HMAC-SHA256, re-keyed once here), personal exports keep their
justification (sealed), a notification may point at a case (possible duplicate)

Revision ID: 0007_h6
Revises: 0007_h3
"""
import sqlalchemy as sa
from alembic import context, op

revision = "0007_h6"
down_revision = "0007_h3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "export_justification",
        sa.Column("audit_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=False, nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("text_sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["audit_seq"], ["audit_entry.seq"],
                                name=op.f("fk_export_justification_audit_seq_audit_entry")),
        sa.PrimaryKeyConstraint("audit_seq", name=op.f("pk_export_justification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_notification_person_id_person"), "person",
                                    ["person_id"], ["id"])
    _rekey_audit_chain()


def _rekey_audit_chain():
    """Once: the unkeyed SHA-256 chain becomes an HMAC chain under the audit key (verified
    first; a broken chain stops the upgrade rather than being laundered)."""
    if context.is_offline_mode():
        print("offline mode: the audit chain is not re-keyed here; run the upgrade online")
        return
    from flask import current_app

    from icrs.audit.rekey import rekey_chain

    count = rekey_chain(op.get_bind(), current_app.extensions["icrs_crypto"].audit_key)
    if count:
        print(f"audit chain re-keyed: {count} entries")


def downgrade():
    # The chain stays keyed: going back to an unkeyed chain would remove the protection.
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notification_person_id_person"),
                                 type_="foreignkey")
        batch_op.drop_column("person_id")
    op.drop_table("export_justification")

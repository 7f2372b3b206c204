"""handover receipts signed on screen: the receipt method "screen_signature" and the document
kind "signature" (the PNG drawn on the handover form, encrypted under the person's key like
every case document).

Revision ID: 0012_signature
Revises: 0011_plans
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_signature"
down_revision = "0011_plans"
branch_labels = None
depends_on = None

KINDS = ("consent_form", "ddr_certificate", "id_card", "photo", "signed_plan", "restricted",
         "other")
METHODS = ("paper_signature", "thumbprint")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _checks(kinds, methods):
    with op.batch_alter_table("attachment") as batch:
        batch.drop_constraint(op.f("ck_attachment_attachmentkind"), type_="check")
        batch.create_check_constraint(op.f("ck_attachment_attachmentkind"), _in("kind", kinds))
    with op.batch_alter_table("handover") as batch:
        batch.drop_constraint(op.f("ck_handover_receiptmethod"), type_="check")
        batch.create_check_constraint(op.f("ck_handover_receiptmethod"),
                                      _in("receipt_method", methods))


def upgrade():
    _checks(KINDS + ("signature",), METHODS + ("screen_signature",))


def downgrade():
    """Only while no receipt was signed on screen: a document's kind is bound to its
    ciphertext, so it cannot be relabelled."""
    signed = op.get_bind().scalar(sa.text(
        "SELECT COUNT(*) FROM handover WHERE receipt_method = 'screen_signature'"))
    kept = op.get_bind().scalar(sa.text(
        "SELECT COUNT(*) FROM attachment WHERE kind = 'signature'"))
    if signed or kept:
        raise RuntimeError("Receipts signed on screen exist: this migration cannot be undone.")
    _checks(KINDS, METHODS)

"""assistance verification: entitlements may be partly disbursed or verified; spot-checks of
recent handovers (assigned to a supervisor of the case's region, outcome coded, the note
encrypted under the person's key).

Revision ID: 0011_spotchecks
Revises: 0011_followup_outcomes
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_spotchecks"
down_revision = "0011_followup_outcomes"
branch_labels = None
depends_on = None

BEFORE = ("proposed", "requested", "approved", "rejected", "disbursed", "cancelled")
AFTER = ("proposed", "requested", "approved", "rejected", "partly_disbursed", "disbursed",
         "verified", "cancelled")
GRANTED_BEFORE = "(status IN ('approved', 'disbursed')) = (approved_at IS NOT NULL)"
GRANTED_AFTER = ("(status IN ('approved', 'partly_disbursed', 'disbursed', 'verified')) = "
                 "(approved_at IS NOT NULL)")
FULL_BEFORE = "status <> 'disbursed' OR disbursed = amount"
FULL_AFTER = "status NOT IN ('disbursed', 'verified') OR disbursed = amount"
PARTLY = "status <> 'partly_disbursed' OR (disbursed > 0 AND disbursed < amount)"


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _entitlement_checks(statuses, granted, full, partly):
    with op.batch_alter_table("entitlement") as batch:
        for name in ("entitlementstatus", "entitlement_approved_iff_granted",
                     "entitlement_disbursed_iff_full"):
            batch.drop_constraint(op.f(f"ck_entitlement_{name}"), type_="check")
        if not partly:
            batch.drop_constraint(op.f("ck_entitlement_entitlement_partly_iff_some"),
                                  type_="check")
        batch.create_check_constraint(op.f("ck_entitlement_entitlementstatus"),
                                      _in("status", statuses))
        batch.create_check_constraint(op.f("ck_entitlement_entitlement_approved_iff_granted"),
                                      granted)
        batch.create_check_constraint(op.f("ck_entitlement_entitlement_disbursed_iff_full"),
                                      full)
        if partly:
            batch.create_check_constraint(op.f("ck_entitlement_entitlement_partly_iff_some"),
                                          partly)


def upgrade():
    op.execute("UPDATE entitlement SET status = 'partly_disbursed' "
               "WHERE status = 'approved' AND disbursed > 0")
    _entitlement_checks(AFTER, GRANTED_AFTER, FULL_AFTER, PARTLY)
    op.create_table(
        "spot_check",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("handover_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("receipt", sa.Enum("confirmed", "denied", "not_reached", name="receiptcheck",
                                     native_enum=False, create_constraint=True, length=16),
                  nullable=True),
        sa.Column("goods_use", sa.Enum("in_use", "partly", "not_in_use", "sold_or_lost",
                                       "not_applicable", name="usecheck", native_enum=False,
                                       create_constraint=True, length=16), nullable=True),
        sa.Column("discrepancy", sa.Boolean(), nullable=False),
        sa.Column("note_ct", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("(done_at IS NULL) = (done_by_id IS NULL) AND "
                           "(done_at IS NULL) = (receipt IS NULL) AND "
                           "(done_at IS NULL) = (goods_use IS NULL)",
                           name=op.f("ck_spot_check_spot_check_outcome_iff_done")),
        sa.CheckConstraint("done_at IS NOT NULL OR NOT discrepancy",
                           name=op.f("ck_spot_check_spot_check_discrepancy_when_done")),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["user_account.id"],
                                name=op.f("fk_spot_check_assigned_to_id_user_account")),
        sa.ForeignKeyConstraint(["done_by_id"], ["user_account.id"],
                                name=op.f("fk_spot_check_done_by_id_user_account")),
        sa.ForeignKeyConstraint(["drawn_by_id"], ["user_account.id"],
                                name=op.f("fk_spot_check_drawn_by_id_user_account")),
        sa.ForeignKeyConstraint(["handover_id"], ["handover.id"],
                                name=op.f("fk_spot_check_handover_id_handover")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_spot_check_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spot_check")),
        sa.UniqueConstraint("handover_id", name=op.f("uq_spot_check_handover_id")),
    )
    op.create_index("ix_spot_check_assigned_open", "spot_check", ["assigned_to_id", "done_at"],
                    unique=False)
    op.create_index(op.f("ix_spot_check_person_id"), "spot_check", ["person_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_spot_check_person_id"), table_name="spot_check")
    op.drop_index("ix_spot_check_assigned_open", table_name="spot_check")
    op.drop_table("spot_check")
    op.execute("UPDATE entitlement SET status = 'approved' WHERE status = 'partly_disbursed'")
    op.execute("UPDATE entitlement SET status = 'disbursed' WHERE status = 'verified'")
    _entitlement_checks(BEFORE, GRANTED_BEFORE, FULL_BEFORE, None)

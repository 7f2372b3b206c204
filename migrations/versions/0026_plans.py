"""structured reintegration plans (icrs.plans): plan versions (draft, waiting for the budget
approval, agreed, superseded) with the person's agreement, their goals and actions (type, owner,
due date, budget, status, the referral or entitlement carrying it out).

The free-text plans become version 1, 2… of each person's structured plan (same ids, so an
entitlement's plan_id still names its plan; the latest agreed, the earlier ones superseded),
their goals text a single goal. The goals are decrypted and encrypted again on the migration's
connection with the app's keyring (as in 0007_h5): the associated data binds a ciphertext to
its table, column and row, so it cannot simply be copied. An erased person's goals are gone
already and stay so. The agreement method was not recorded then: it stays empty.

Revision ID: 0011_plans
Revises: 0011_feedback
"""
import uuid
from itertools import groupby

import sqlalchemy as sa
from alembic import op
from flask import current_app

from icrs.crypto.bulk import ConnectionCiphers

revision = "0011_plans"
down_revision = "0011_feedback"
branch_labels = None
depends_on = None

OLD_PLAN = sa.table(
    "plan", sa.column("id", sa.Uuid), sa.column("person_id", sa.Uuid),
    sa.column("pathway", sa.String), sa.column("counselling_note_id", sa.Uuid),
    sa.column("agreed_at", sa.DateTime), sa.column("agreed_by_id", sa.Integer),
    sa.column("goals_ct", sa.LargeBinary))
VERSION = sa.table(
    "plan_version", sa.column("id", sa.Uuid), sa.column("person_id", sa.Uuid),
    sa.column("number", sa.Integer), sa.column("status", sa.String),
    sa.column("pathway", sa.String), sa.column("based_on_id", sa.Uuid),
    sa.column("counselling_note_id", sa.Uuid), sa.column("created_by_id", sa.Integer),
    sa.column("created_at", sa.DateTime), sa.column("updated_at", sa.DateTime),
    sa.column("agreement_recorded_by_id", sa.Integer), sa.column("agreed_at", sa.DateTime))
GOAL = sa.table(
    "plan_goal", sa.column("id", sa.Uuid), sa.column("version_id", sa.Uuid),
    sa.column("person_id", sa.Uuid), sa.column("position", sa.Integer),
    sa.column("text_ct", sa.LargeBinary))
ENTITLEMENT = sa.table("entitlement", sa.column("plan_id", sa.Uuid))


def _ciphers(conn):
    return ConnectionCiphers(conn, current_app.extensions["icrs_crypto"].keyring)


def _enum(name, *values, length):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade():
    _create_plan_version()
    _create_lines()
    _copy_free_text_plans(op.get_bind())
    with op.batch_alter_table("entitlement") as batch:
        batch.drop_constraint(batch.f("fk_entitlement_plan_id_plan"), type_="foreignkey")
        batch.create_foreign_key(batch.f("fk_entitlement_plan_id_plan_version"),
                                 "plan_version", ["plan_id"], ["id"])
    with op.batch_alter_table("plan") as batch:
        batch.drop_index(batch.f("ix_plan_person_id"))
    op.drop_table("plan")


def _create_plan_version():
    op.create_table(
        "plan_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", _enum("planstatus", "draft", "awaiting_approval", "agreed",
                                  "superseded", length=24), nullable=False),
        sa.Column("pathway", sa.String(length=32), nullable=False),
        sa.Column("based_on_id", sa.Uuid(), nullable=True),
        sa.Column("counselling_note_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("agreement_method", _enum("agreementmethod", "signed", "thumbprint",
                                            "verbal_witnessed", length=24), nullable=True),
        sa.Column("agreement_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(), nullable=True),
        sa.Column("witness_name_ct", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("(status IN ('agreed', 'superseded')) = (agreed_at IS NOT NULL)",
                           name=op.f("ck_plan_version_agreed_iff_in_force")),
        sa.CheckConstraint("status <> 'awaiting_approval' OR (agreed_on IS NOT NULL "
                           "AND agreement_method IS NOT NULL)",
                           name=op.f("ck_plan_version_awaiting_has_agreement")),
        sa.CheckConstraint("agreement_method IS NULL OR agreed_on IS NOT NULL",
                           name=op.f("ck_plan_version_method_has_day")),
        sa.CheckConstraint("number > 0", name=op.f("ck_plan_version_number_positive")),
        sa.ForeignKeyConstraint(["agreement_recorded_by_id"], ["user_account.id"],
                                name=op.f("fk_plan_version_agreement_recorded_by_id_user_account")),
        sa.ForeignKeyConstraint(["based_on_id"], ["plan_version.id"],
                                name=op.f("fk_plan_version_based_on_id_plan_version")),
        sa.ForeignKeyConstraint(["counselling_note_id"], ["note.id"],
                                name=op.f("fk_plan_version_counselling_note_id_note")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_plan_version_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_plan_version_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_version")),
        sa.UniqueConstraint("person_id", "number", name="plan_version_number_per_person"),
    )
    op.create_index(op.f("ix_plan_version_person_id"), "plan_version", ["person_id"])


def _create_lines():
    op.create_table(
        "plan_goal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text_ct", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_plan_goal_person_id_person")),
        sa.ForeignKeyConstraint(["version_id"], ["plan_version.id"],
                                name=op.f("fk_plan_goal_version_id_plan_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_goal")),
    )
    op.create_index(op.f("ix_plan_goal_person_id"), "plan_goal", ["person_id"])
    op.create_index(op.f("ix_plan_goal_version_id"), "plan_goal", ["version_id"])
    op.create_table(
        "plan_action",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action_type", _enum("actiontype", "referral", "assistance", "training",
                                       "counselling", "documentation", "other", length=16),
                  nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_is_person", sa.Boolean(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=True),
        sa.Column("status", _enum("actionstatus", "planned", "in_progress", "done", "dropped",
                                  length=16), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("entitlement_id", sa.Uuid(), nullable=True),
        sa.Column("description_ct", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("budget IS NULL OR budget >= 0",
                           name=op.f("ck_plan_action_budget_not_negative")),
        sa.CheckConstraint("owner_is_person = (owner_id IS NULL)",
                           name=op.f("ck_plan_action_one_owner")),
        sa.CheckConstraint("referral_id IS NULL OR entitlement_id IS NULL",
                           name=op.f("ck_plan_action_one_carrier")),
        sa.ForeignKeyConstraint(["entitlement_id"], ["entitlement.id"],
                                name=op.f("fk_plan_action_entitlement_id_entitlement")),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"],
                                name=op.f("fk_plan_action_owner_id_user_account")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_plan_action_person_id_person")),
        sa.ForeignKeyConstraint(["referral_id"], ["referral.id"],
                                name=op.f("fk_plan_action_referral_id_referral")),
        sa.ForeignKeyConstraint(["version_id"], ["plan_version.id"],
                                name=op.f("fk_plan_action_version_id_plan_version")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action")),
    )
    for column in ("entitlement_id", "person_id", "referral_id", "version_id"):
        op.create_index(op.f(f"ix_plan_action_{column}"), "plan_action", [column])


def _copy_free_text_plans(conn):
    """Each person's free-text plans, oldest first, become their versions 1, 2…"""
    ciphers = _ciphers(conn)
    rows = conn.execute(sa.select(OLD_PLAN).order_by(OLD_PLAN.c.person_id,
                                                     OLD_PLAN.c.agreed_at)).all()
    for _person, plans in groupby(rows, key=lambda r: r.person_id):
        plans = list(plans)
        previous = None
        for number, row in enumerate(plans, start=1):
            conn.execute(VERSION.insert().values(
                id=row.id, person_id=row.person_id, number=number,
                status="agreed" if number == len(plans) else "superseded",
                pathway=row.pathway, based_on_id=previous,
                counselling_note_id=row.counselling_note_id, created_by_id=row.agreed_by_id,
                created_at=row.agreed_at, updated_at=row.agreed_at,
                agreement_recorded_by_id=row.agreed_by_id, agreed_at=row.agreed_at))
            previous = row.id
            _copy_goal(conn, ciphers, row)


def _copy_goal(conn, ciphers, row):
    text = ciphers.decrypt("str", row.goals_ct, row.person_id, "plan", "goals", row.id)
    if text is None:  # erased (shredded key) or never written
        return
    goal_id = uuid.uuid4()
    conn.execute(GOAL.insert().values(
        id=goal_id, version_id=row.id, person_id=row.person_id, position=0,
        text_ct=ciphers.encrypt("str", text, row.person_id, "plan_goal", "text", goal_id)))


def downgrade():
    """Back to one free-text row per agreed version (its goals joined); drafts, actions and
    agreements are lost."""
    conn = op.get_bind()
    op.create_table(
        "plan",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("pathway", sa.String(length=32), nullable=False),
        sa.Column("counselling_note_id", sa.Uuid(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(), nullable=False),
        sa.Column("agreed_by_id", sa.Integer(), nullable=False),
        sa.Column("goals_ct", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["agreed_by_id"], ["user_account.id"],
                                name=op.f("fk_plan_agreed_by_id_user_account")),
        sa.ForeignKeyConstraint(["counselling_note_id"], ["note.id"],
                                name=op.f("fk_plan_counselling_note_id_note")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_plan_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
    )
    op.create_index(op.f("ix_plan_person_id"), "plan", ["person_id"])
    kept = _copy_back(conn)
    conn.execute(ENTITLEMENT.update().where(ENTITLEMENT.c.plan_id.is_not(None),
                                            ENTITLEMENT.c.plan_id.not_in(kept or [None]))
                 .values(plan_id=None))
    with op.batch_alter_table("entitlement") as batch:
        batch.drop_constraint(batch.f("fk_entitlement_plan_id_plan_version"), type_="foreignkey")
        batch.create_foreign_key(batch.f("fk_entitlement_plan_id_plan"), "plan",
                                 ["plan_id"], ["id"])
    op.drop_table("plan_action")
    op.drop_table("plan_goal")
    op.drop_table("plan_version")


def _copy_back(conn):
    ciphers = _ciphers(conn)
    versions = conn.execute(sa.select(VERSION).where(
        VERSION.c.status.in_(["agreed", "superseded"]))).all()
    for v in versions:
        goals = conn.execute(sa.select(GOAL).where(GOAL.c.version_id == v.id)
                             .order_by(GOAL.c.position)).all()
        texts = [ciphers.decrypt("str", g.text_ct, v.person_id, "plan_goal", "text", g.id)
                 for g in goals]
        text = "\n\n".join(t for t in texts if t) or None
        conn.execute(OLD_PLAN.insert().values(
            id=v.id, person_id=v.person_id, pathway=v.pathway,
            counselling_note_id=v.counselling_note_id, agreed_at=v.agreed_at,
            agreed_by_id=v.agreement_recorded_by_id or v.created_by_id,
            goals_ct=ciphers.encrypt("str", text, v.person_id, "plan", "goals", v.id)))
    return [v.id for v in versions]

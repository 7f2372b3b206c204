"""versioned consent texts per purpose (version 1 seeded, existing consents mapped to it);
a consent remembers its text and the consent that renewed it; the M&E / donor reader role

Revision ID: 0008_consent
Revises: 0009_names
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from icrs.people.consent_defaults import DEFAULT_TEXTS

revision = "0008_consent"
down_revision = "0009_names"
branch_labels = None
depends_on = None

PURPOSES = ("registration", "storage", "sharing", "reporting")
ROLES_BEFORE = ("caseworker", "provider", "supervisor", "admin")
ROLES_AFTER = (*ROLES_BEFORE, "monitoring")

consent_text = sa.table("consent_text", sa.column("id", sa.Integer),
                        sa.column("purpose", sa.String), sa.column("version", sa.Integer),
                        sa.column("text_fr", sa.Text), sa.column("text_en", sa.Text),
                        sa.column("requires_reconsent", sa.Boolean),
                        sa.column("created_at", sa.DateTime),
                        sa.column("published_at", sa.DateTime))
consent = sa.table("consent", sa.column("purpose", sa.String), sa.column("text_id", sa.Integer),
                   sa.column("text_version", sa.String))


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    op.create_table(
        "consent_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.Enum(*PURPOSES, name="consentpurpose", native_enum=False,
                                     create_constraint=True, length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text_fr", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("requires_reconsent", sa.Boolean(), server_default=sa.false(),
                  nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("version >= 1", name=op.f("ck_consent_text_version_positive")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_consent_text_created_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_text")),
        sa.UniqueConstraint("purpose", "version", name="uq_consent_text_version"),
    )
    with op.batch_alter_table("consent") as batch:
        batch.add_column(sa.Column("text_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded_by_id", sa.Uuid(), nullable=True))
        batch.create_index(batch.f("ix_consent_text_id"), ["text_id"], unique=False)
        batch.create_foreign_key(batch.f("fk_consent_text_id_consent_text"), "consent_text",
                                 ["text_id"], ["id"])
        batch.create_foreign_key(batch.f("fk_consent_superseded_by_id_consent"), "consent",
                                 ["superseded_by_id"], ["id"])
    _seed_and_map()
    _role_values(ROLES_AFTER)


def _seed_and_map():
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    conn = op.get_bind()
    for position, purpose in enumerate(PURPOSES, start=1):
        fr, en = DEFAULT_TEXTS[purpose]
        conn.execute(consent_text.insert().values(
            id=position, purpose=purpose, version=1, text_fr=fr, text_en=en,
            requires_reconsent=False, created_at=now, published_at=now))
        conn.execute(consent.update().where(consent.c.purpose == purpose)
                     .values(text_id=position, text_version="1"))
    if conn.dialect.name == "postgresql":  # explicit ids: move the sequence past them
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('consent_text', 'id'), "
                             "(SELECT max(id) FROM consent_text))"))


def _role_values(roles):
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint(op.f("ck_user_account_role"), type_="check")
        batch.create_check_constraint(op.f("ck_user_account_role"), _in("role", roles))


def downgrade():
    # The old schema has no M&E role: its accounts become inactive supervisors (an admin must
    # not reactivate them without a look: a supervisor sees people).
    op.execute("UPDATE user_account SET role = 'supervisor', active = false "
               "WHERE role = 'monitoring'")
    _role_values(ROLES_BEFORE)
    with op.batch_alter_table("consent") as batch:
        batch.drop_constraint(batch.f("fk_consent_superseded_by_id_consent"),
                              type_="foreignkey")
        batch.drop_constraint(batch.f("fk_consent_text_id_consent_text"), type_="foreignkey")
        batch.drop_index(batch.f("ix_consent_text_id"))
        batch.drop_column("superseded_by_id")
        batch.drop_column("text_id")
    op.drop_table("consent_text")

"""name search and fuzzy duplicates: person_name_key, the blind indexes of each name token and
of its phonetic key (icrs.people.matching), built here for the people already registered

The keys are keyed HMACs (the blind-index key of the app's keyring: `flask db upgrade` runs
inside the app, keys loaded and checked, as in 0007_h5); the names are decrypted on the
migration's own connection. Erased people get none. `flask icrs people reindex-names` rebuilds
them later (e.g. after a change of the phonetic rules).

Revision ID: 0009_names
Revises: 0009_caseload
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from icrs.crypto.bulk import ConnectionCiphers

revision = "0009_names"
down_revision = "0009_caseload"
branch_labels = None
depends_on = None

NAME_FIELDS = ("first_name", "last_name", "other_names")
PERSON = sa.table("person", sa.column("id", sa.Uuid), sa.column("erased_at", sa.DateTime),
                  *(sa.column(f"{n}_ct", sa.LargeBinary) for n in NAME_FIELDS))
KEY = sa.table("person_name_key", sa.column("person_id", sa.Uuid), sa.column("kind"),
               sa.column("value", sa.Integer))
BATCH = 500


def upgrade():
    op.create_table(
        "person_name_key",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Integer(), autoincrement=False, nullable=False),
        sa.CheckConstraint("kind IN ('token', 'phonetic')",
                           name=op.f("ck_person_name_key_name_key_kind")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_person_name_key_person_id_person")),
        sa.PrimaryKeyConstraint("person_id", "kind", "value", name=op.f("pk_person_name_key")),
    )
    op.create_index("ix_person_name_key_kind_value", "person_name_key",
                    ["kind", "value", "person_id"], unique=False)
    _build_keys(op.get_bind())


def _build_keys(conn):
    from icrs.people.matching import name_keys

    keyring = current_app.extensions["icrs_crypto"].keyring
    ciphers = ConnectionCiphers(conn, keyring)
    rows = conn.execute(sa.select(PERSON).where(PERSON.c.erased_at.is_(None))).all()
    keys = []
    for row in rows:
        identity = {name: ciphers.decrypt("str", getattr(row, f"{name}_ct"), row.id, "person",
                                          name, row.id) for name in NAME_FIELDS}
        keys += [{"person_id": row.id, "kind": kind, "value": value}
                 for kind, value in name_keys(identity, keyring)]
        if len(keys) >= BATCH:
            conn.execute(KEY.insert(), keys)
            keys = []
    if keys:
        conn.execute(KEY.insert(), keys)


def downgrade():
    op.drop_index("ix_person_name_key_kind_value", table_name="person_name_key")
    op.drop_table("person_name_key")

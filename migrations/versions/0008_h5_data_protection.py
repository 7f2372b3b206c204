"""data protection: vulnerability flags and follow-up purposes encrypted, the blind-index key
check value, approval requests (erasure is the first kind)

The flags (GBV, pregnancy, threats…) and the follow-up purpose (free text) move from plain
columns to ciphertexts under each person's data key, with the same associated data as the
models' `encrypted_column` (table, column, row id). The migration encrypts the existing rows
itself, with the app's keyring (`flask db upgrade` runs inside the app, keys loaded and checked),
on the migration's own connection; an erased person's values are dropped, not encrypted.

Revision ID: 0007_h5
Revises: 0007_h4
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from icrs.core.timeutil import utcnow
from icrs.crypto.bulk import ConnectionCiphers

revision = "0007_h5"
down_revision = "0007_h4"
branch_labels = None
depends_on = None

# (table, plain column, its type, codec kind, empty value for downgrade)
MOVED = [
    ("profile_version", "vulnerability_flags", sa.JSON(), "json", []),
    ("follow_up", "purpose", sa.String(length=120), "str", ""),
]
BLIND_CHECK = "blind_index"
BATCH = 500


def _keyring():
    return current_app.extensions["icrs_crypto"].keyring


def _table(name, column, type_):
    return sa.table(name, sa.column("id", sa.Uuid), sa.column("person_id", sa.Uuid),
                    sa.column(column, type_), sa.column(f"{column}_ct", sa.LargeBinary))


def _convert(conn, name, column, type_, kind, encrypt, empty=None):
    """Copy every row's value between the plain and the ciphertext column, in batches."""
    table, ciphers = _table(name, column, type_), ConnectionCiphers(conn, _keyring())
    source = table.c[column] if encrypt else table.c[f"{column}_ct"]
    target = f"{column}_ct" if encrypt else column
    rows = conn.execute(sa.select(table.c.id, table.c.person_id, source)).all()
    for start in range(0, len(rows), BATCH):
        updates = []
        convert = ciphers.encrypt if encrypt else ciphers.decrypt
        for row_id, owner, value in rows[start:start + BATCH]:
            new = convert(kind, value, owner, name, column, row_id)
            updates.append({"rid": row_id, "v": empty if new is None and not encrypt else new})
        if updates:
            conn.execute(table.update().where(table.c.id == sa.bindparam("rid"))
                         .values({target: sa.bindparam("v")}), updates)


def upgrade():
    conn = op.get_bind()
    op.create_table(
        "key_check",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_key_check")),
    )
    # the key in use now is the one the existing indexes were made with (start-up checks it)
    op.bulk_insert(sa.table("key_check", sa.column("name"), sa.column("value"),
                            sa.column("created_at", sa.DateTime)),
                   [{"name": BLIND_CHECK, "value": _keyring().blind_check(),
                     "created_at": utcnow()}])
    _create_approval_request()
    for name, column, type_, kind, _empty in MOVED:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column(f"{column}_ct", sa.LargeBinary(), nullable=True))
        _convert(conn, name, column, type_, kind, encrypt=True)
        with op.batch_alter_table(name) as batch:
            batch.drop_column(column)


def _create_approval_request():
    op.create_table(
        "approval_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.Enum("requested", "approved", "rejected", "cancelled",
                                    name="approvalstatus", native_enum=False,
                                    create_constraint=True, length=16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("open_key", sa.String(length=140), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason_ct", sa.LargeBinary(), nullable=True),
        sa.Column("comment_ct", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint("(status = 'requested') = (decided_at IS NULL)",
                           name=op.f("ck_approval_request_approval_decided_iff_closed")),
        sa.CheckConstraint("(status = 'requested') = (open_key IS NOT NULL)",
                           name=op.f("ck_approval_request_approval_open_key_iff_open")),
        sa.CheckConstraint("status <> 'approved' OR decided_by_id <> requested_by_id",
                           name=op.f("ck_approval_request_approval_by_second_person")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"],
                                name=op.f("fk_approval_request_decided_by_id_user_account")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_approval_request_person_id_person")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user_account.id"],
                                name=op.f("fk_approval_request_requested_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_request")),
        sa.UniqueConstraint("open_key", name=op.f("uq_approval_request_open_key")),
    )
    op.create_index(op.f("ix_approval_request_person_id"), "approval_request", ["person_id"],
                    unique=False)
    op.create_index("ix_approval_request_status", "approval_request",
                    ["status", "kind", "requested_at"], unique=False)


def downgrade():
    conn = op.get_bind()
    for name, column, type_, kind, empty in reversed(MOVED):
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column(column, type_, nullable=True))
        _convert(conn, name, column, type_, kind, encrypt=False, empty=empty)
        with op.batch_alter_table(name) as batch:
            batch.alter_column(column, existing_type=type_, nullable=False)
            batch.drop_column(f"{column}_ct")
    op.drop_index("ix_approval_request_status", table_name="approval_request")
    op.drop_index(op.f("ix_approval_request_person_id"), table_name="approval_request")
    op.drop_table("approval_request")
    op.drop_table("key_check")

"""languages and service categories become lists administrators adapt (icrs.lookups): the
language entries written as lookup rows (ISO 639 codes, FR and EN labels, the EN one being the
HSDS name), and service-category taxonomy terms given an active flag (retired, never deleted)
and positions spaced by ten like the other lists

Revision ID: 0009_lists2
Revises: 0009_protect
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0009_lists2"
down_revision = "0009_protect"
branch_labels = None
depends_on = None

# (code, French label, English label = HSDS name), in order. A snapshot: later changes are the
# administrators' (audited), not this file's.
LANGUAGES = [
    ("fr", "français", "French"),
    ("en", "anglais", "English"),
    ("wes", "pidgin camerounais", "Cameroonian Pidgin"),
    ("ff", "fulfulde", "Fulfulde"),
    ("ha", "haoussa", "Hausa"),
    ("kr", "kanouri", "Kanuri"),
    ("shu", "arabe tchadien (choa)", "Chadian Arabic (Shuwa)"),
    ("mua", "moundang", "Mundang"),
    ("mfh", "matal", "Matal"),
    ("other", "Autre", "Other"),
]

entry = sa.table("lookup_entry", sa.column("vocabulary", sa.String), sa.column("code", sa.String),
                 sa.column("label_fr", sa.String), sa.column("label_en", sa.String),
                 sa.column("position", sa.Integer), sa.column("active", sa.Boolean),
                 sa.column("created_at", sa.DateTime), sa.column("updated_at", sa.DateTime))
term = sa.table("taxonomy_term", sa.column("position", sa.Integer))


def upgrade():
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    have = set(op.get_bind().scalars(sa.select(entry.c.code)
                                     .where(entry.c.vocabulary == "language")))
    op.bulk_insert(entry, [
        {"vocabulary": "language", "code": code, "label_fr": fr, "label_en": en,
         "position": 10 * n, "active": True, "created_at": now, "updated_at": now}
        for n, (code, fr, en) in enumerate(LANGUAGES, start=1) if code not in have])
    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    op.execute(term.update().values(position=(term.c.position + 1) * 10))


def downgrade():
    op.execute(term.update().where(term.c.position >= 10)
               .values(position=term.c.position / 10 - 1))
    with op.batch_alter_table("taxonomy_term", schema=None) as batch_op:
        batch_op.drop_column("active")
    op.execute(entry.delete().where(entry.c.vocabulary == "language"))

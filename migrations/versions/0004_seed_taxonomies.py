"""seed the ICRS taxonomies (service categories, person categories, sexes, properties)

The vocabularies are reference data every install needs (service forms, consent to share,
HSDS attributes): without them a fresh production database could not describe a service.
Ids are deterministic (uuid5), so the demo loader and the importer find these same rows.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from icrs.directory.taxonomy import TAXONOMIES, TAXONOMY_URI, taxonomy_uuid, term_uuid

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

taxonomy = sa.table("taxonomy", sa.column("id", sa.Uuid), sa.column("code", sa.String),
                    sa.column("name", sa.String), sa.column("description", sa.Text),
                    sa.column("uri", sa.String), sa.column("version", sa.String))
term = sa.table("taxonomy_term", sa.column("id", sa.Uuid), sa.column("taxonomy_id", sa.Uuid),
                sa.column("code", sa.String), sa.column("name_fr", sa.String),
                sa.column("name_en", sa.String), sa.column("description_fr", sa.Text),
                sa.column("description_en", sa.Text), sa.column("position", sa.Integer))


def upgrade():
    conn = op.get_bind()
    have = set(conn.scalars(sa.select(taxonomy.c.id)))
    have_terms = set(conn.scalars(sa.select(term.c.id)))
    for code, name, description, terms in TAXONOMIES:
        if taxonomy_uuid(code) not in have:
            op.bulk_insert(taxonomy, [{"id": taxonomy_uuid(code), "code": code, "name": name,
                                       "description": description, "uri": TAXONOMY_URI + code,
                                       "version": "1"}])
        rows = [{"id": term_uuid(code, t), "taxonomy_id": taxonomy_uuid(code), "code": t,
                 "name_fr": fr, "name_en": en, "description_fr": fr, "description_en": en,
                 "position": position}
                for position, (t, fr, en) in enumerate(terms)
                if term_uuid(code, t) not in have_terms]
        if rows:
            op.bulk_insert(term, rows)


def downgrade():
    pass  # reference data: left in place (services and consents refer to it)

"""one language vocabulary (Cameroonian Pidgin is `wes`, stored `pcm` converted); a closed case
keeps the stage to return to (`stage_before` set iff the stage is suspended, exited or
reintegrated), repaired from the stage history and then enforced by a CHECK constraint

Revision ID: 0007_h1
Revises: 0007_h5
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_h1"
down_revision = "0007_h5"
branch_labels = None
depends_on = None

OLD, NEW, NEW_NAME = "pcm", "wes", "Cameroonian Pidgin"
ACTIVE = ("registered", "profiled", "planned", "referred", "in_service", "follow_up")
CLOSED = ("reintegrated", "suspended", "exited")


def _sql_list(values):
    return ", ".join(f"'{v}'" for v in values)


# The same text as icrs.people.models.STAGE_BEFORE_IFF_CLOSED (written out: a migration must
# not change when the models do).
STAGE_BEFORE_IFF_CLOSED = (
    # "IS NOT NULL" first: `NULL IN (...)` is unknown, and a CHECK lets unknown pass
    f"(stage IN ({_sql_list(CLOSED)}) AND stage_before IS NOT NULL "
    f"AND stage_before IN ({_sql_list(ACTIVE)})) "
    f"OR (stage NOT IN ({_sql_list(CLOSED)}) AND stage_before IS NULL)")

person = sa.table("person", sa.column("id", sa.Uuid), sa.column("languages", sa.JSON),
                  sa.column("stage", sa.String), sa.column("stage_before", sa.String))
service_language = sa.table("service_language", sa.column("id", sa.Uuid),
                            sa.column("service_id", sa.Uuid), sa.column("code", sa.String),
                            sa.column("name", sa.String))
profile_version = sa.table("profile_version", sa.column("service_language", sa.String))
stage_change = sa.table("stage_change", sa.column("id", sa.Integer),
                        sa.column("person_id", sa.Uuid), sa.column("from_stage", sa.String),
                        sa.column("to_stage", sa.String))


def _convert_person_languages(conn, old, new):
    # JSON lists: read and rewrite in Python (the same on SQLite and PostgreSQL); few rows match.
    rows = conn.execute(sa.select(person.c.id, person.c.languages)).all()
    for pid, languages in rows:
        if languages and old in languages:
            fixed = list(dict.fromkeys(new if code == old else code for code in languages))
            conn.execute(person.update().where(person.c.id == pid).values(languages=fixed))


def _convert_service_languages(conn, old, new, new_name):
    has_new = sa.select(service_language.c.service_id).where(service_language.c.code == new)
    # a service listing both keeps one row (service_id, code is unique)
    conn.execute(service_language.delete().where(service_language.c.code == old,
                                                 service_language.c.service_id.in_(has_new)))
    conn.execute(service_language.update().where(service_language.c.code == old)
                 .values(code=new, name=new_name))


def _convert_languages(old, new, new_name):
    conn = op.get_bind()
    _convert_person_languages(conn, old, new)
    _convert_service_languages(conn, old, new, new_name)
    conn.execute(profile_version.update().where(profile_version.c.service_language == old)
                 .values(service_language=new))


def _repair_stage_before():
    """Before this revision a suspended case that exited lost its stage to return to: take it
    from the stage history (the last move out of an active stage), else `registered`."""
    conn = op.get_bind()
    conn.execute(person.update().where(person.c.stage.in_(ACTIVE),
                                       person.c.stage_before.is_not(None))
                 .values(stage_before=None))
    broken = conn.execute(sa.select(person.c.id).where(
        person.c.stage.in_(CLOSED),
        sa.or_(person.c.stage_before.is_(None), person.c.stage_before.not_in(ACTIVE)))).scalars()
    for pid in broken.all():
        last_active = conn.execute(
            sa.select(stage_change.c.from_stage)
            .where(stage_change.c.person_id == pid, stage_change.c.from_stage.in_(ACTIVE),
                   stage_change.c.to_stage.in_(CLOSED))
            .order_by(stage_change.c.id.desc()).limit(1)).scalar()
        conn.execute(person.update().where(person.c.id == pid)
                     .values(stage_before=last_active or "registered"))


def upgrade():
    _convert_languages(OLD, NEW, NEW_NAME)
    _repair_stage_before()
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_person_stage_before_iff_closed"),
                                        STAGE_BEFORE_IFF_CLOSED)


def downgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_person_stage_before_iff_closed"), type_="check")
    # `wes` stays `wes`: it was already the directory's code, and the people's `pcm` was the bug.

"""A long read (a dashboard, an export) must not hold up the writes of other requests: every
page view writes its audit entry. On SQLite this needs the WAL journal (icrs.sqlite_pragmas);
PostgreSQL readers never block writers."""
import pytest
import sqlalchemy as sa

from icrs.core.models import Region


def _hold_read_open(conn):
    """Start a transaction that has read the region table and stays open."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # the driver does not start one for a SELECT
    return conn.execute(sa.select(sa.func.count()).select_from(Region)).scalar_one()


def _short_wait(conn):
    """A short lock wait for this connection only (it is discarded afterwards, see below)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA busy_timeout=300")
    else:
        conn.exec_driver_sql("SET lock_timeout = '300ms'")


def test_sqlite_database_uses_the_wal_journal(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_write_commits_while_another_connection_is_reading(db):
    with db.engine.connect() as reader, db.engine.connect() as writer:
        try:
            before = _hold_read_open(reader)
            _short_wait(writer)
            writer.execute(sa.insert(Region).values(code="ZZ", name_fr="Essai", name_en="Test"))
            writer.commit()  # in the rollback journal: "database is locked" after 300 ms
            assert _count(writer) == before + 1
            if reader.dialect.name == "sqlite":  # the reader keeps its snapshot until it ends
                assert reader.execute(sa.select(sa.func.count()).select_from(Region)).scalar() \
                    == before
            reader.rollback()
            assert _count(reader) == before + 1
        finally:
            writer.invalidate()  # not back to the pool with its short lock wait


def _count(conn):
    return conn.execute(sa.select(sa.func.count()).select_from(Region)).scalar_one()

"""A spare database connection, so that the dashboard's longest statement overlaps the others.

The referral aggregates are half of the dashboard's SQL time (on SQLite, sorting the ~86,000
referrals of a year, twice). Started on a second connection, in a thread, they run on the other
core while the request's own connection answers the people indicators and the worklists: on a
two-core server the page takes about the time of its longest half instead of the sum.

Each process keeps one spare connection. When it is busy (another thread of the process has it)
or cannot be used (an in-memory SQLite database is private to its connection; the setting
ICRS_DASHBOARD_OVERLAP is off), the statement simply runs inline on the request's connection.
The spare connection reads what is committed, as a second reader would: the dashboard writes
nothing before it reads.
"""
import threading

import sqlalchemy as sa
from flask import current_app

from icrs.extensions import db

EXTENSION = "icrs.dashboard.spare_connection"


class _Spare:
    def __init__(self, engine):
        self.engine = engine
        self.lock = threading.Lock()


def _spare():
    """The process's spare (engine, lock), created on first use; None when not usable."""
    extensions = current_app.extensions
    if EXTENSION not in extensions:
        extensions[EXTENSION] = _create()
    return extensions[EXTENSION]


def _create():
    from icrs import apply_sqlite_pragmas

    url = db.engine.url
    in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
    if in_memory or not current_app.config.get("ICRS_DASHBOARD_OVERLAP", True):
        return None
    # the deployment's engine options (pre-ping, recycle, timeout), sized to one connection
    options = {**current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "pool_size": 1,
               "max_overflow": 0}
    engine = sa.create_engine(url, **options)
    apply_sqlite_pragmas(engine)
    return _Spare(engine)


def start(*statements):
    """Start read statements, one after the other, on the spare connection; returns a function
    that waits for them and gives their rows, one list per statement (or raises the error).
    Runs them inline when the spare connection is not available."""
    spare = _spare()
    if spare is None or not spare.lock.acquire(blocking=False):
        rows = [db.session.execute(stmt).all() for stmt in statements]
        return lambda: rows
    outcome = {}

    def work():
        try:
            with spare.engine.connect() as conn:
                outcome["rows"] = [conn.execute(stmt).all() for stmt in statements]
        except Exception as exc:  # handed to the request's thread, raised there
            outcome["error"] = exc
        finally:
            spare.lock.release()

    thread = threading.Thread(target=work, name="dashboard-spare", daemon=True)
    thread.start()

    def result():
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["rows"]
    return result

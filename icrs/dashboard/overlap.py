"""A spare database connection, so that the dashboard reads on two connections at once.

The dashboard's SQL is a dozen GROUP BY statements. The longest (the referral counts and day
histograms: on SQLite, sorting every referral of the period) change with the filters: a year or
all time, one region or all. Both connections take their next statement from one list, given
longest first, so the two finish at about the same time whatever the filters: on a two-core
server the page takes about half the time of its SQL instead of all of it.

The spare connection starts at once, in a thread; the request's connection joins in when the
page asks for the rows (it reads the worklists meanwhile). Each process keeps one spare
connection. When it is busy (another thread of the process has it) or cannot be used (an
in-memory SQLite database is private to its connection; the setting ICRS_DASHBOARD_OVERLAP is
off), the request's connection reads every statement. The spare connection reads what is
committed, as a second reader would: the dashboard writes nothing before it reads.
"""
import threading
from collections import deque

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
    """Start reading the statements (longest first) on the spare connection; returns a
    Reading, which, when called, reads the ones still waiting on the request's connection
    too and gives the rows, one list per statement (or raises the first error)."""
    reading = Reading(statements)
    spare = _spare()
    if spare is not None and spare.lock.acquire(blocking=False):
        thread = threading.Thread(target=reading.work, args=(spare,), name="dashboard-spare",
                                  daemon=True)
        try:
            thread.start()
            reading.thread = thread
        except RuntimeError:  # no thread to be had: the request's connection reads it all
            spare.lock.release()
    return reading


class Reading:
    """Statements read by whichever connection is free: both take the next from one queue."""

    def __init__(self, statements):
        self.waiting = deque(enumerate(statements))
        self.rows = [None] * len(statements)
        self.thread, self.error = None, None

    def take(self, execute):
        while True:
            try:
                index, statement = self.waiting.popleft()  # atomic: never read twice
            except IndexError:
                return
            self.rows[index] = execute(statement).all()

    def work(self, spare):
        try:
            with spare.engine.connect() as conn:
                self.take(conn.execute)
        except BaseException as exc:  # handed to the request's thread, raised there
            self.error = exc
            self.waiting.clear()  # the request's connection need not read the rest
        finally:
            spare.lock.release()

    def __call__(self):
        try:
            self.take(db.session.execute)
        except BaseException:
            self.waiting.clear()  # the spare connection stops after its current statement
            raise
        finally:
            if self.thread is not None:
                self.thread.join()
        if self.error is not None:
            raise self.error
        return self.rows

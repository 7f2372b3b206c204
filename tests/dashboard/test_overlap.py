"""The spare connection the dashboard reads its statements on, beside the request's."""
import time

import pytest
import sqlalchemy as sa

from icrs.core.vocab import DEFAULT_AGE_BANDS
from icrs.dashboard import indicators, overlap
from icrs.dashboard.filters import Filters
from icrs.extensions import db
from icrs.people.models import Person
from tests.dashboard.conftest import add_person
from tests.dashboard.test_indicators import YEAR

PEOPLE = sa.select(sa.func.count()).select_from(Person)


def _on_the_spare(reading):
    """The reading, once the spare connection has taken every statement (else the request's
    connection would take those still waiting when called)."""
    deadline = time.monotonic() + 10
    while reading.waiting and time.monotonic() < deadline:
        time.sleep(0.001)
    assert not reading.waiting
    return reading


def _tables(app, user, **kw):
    with app.test_request_context():
        board = indicators.build(Filters(**YEAR, age_bands=tuple(DEFAULT_AGE_BANDS), **kw),
                                 user)
        return [(t.key, [(r.key, r.cells, r.total) for r in t.rows]) for t in board.tables]


@pytest.mark.parametrize("by", ["sex", "age", "site"])
def test_the_spare_connection_gives_the_same_tables(app, world, make, monkeypatch, by):
    supervisor = make.user("supervisor")
    beside = _tables(app, supervisor, by=by)
    monkeypatch.setitem(app.config, "ICRS_DASHBOARD_OVERLAP", False)
    monkeypatch.delitem(app.extensions, overlap.EXTENSION, raising=False)
    inline = _tables(app, supervisor, by=by)
    assert beside == inline
    assert [key for key, _rows in inline][:7] == [
        "stages", "registrations", "referral_status", "referral_categories",
        "referral_providers", "referral_rates", "overdue"] or not world.referrals_ready


def test_the_spare_connection_reads_what_is_committed(app, world):
    add_person("p10", world.people["p1"].registered_at, world.sites["MER"], "female", 1990,
               "adult_woman", "registered")  # flushed, not committed
    with app.test_request_context():
        # another connection: not yet there
        assert _on_the_spare(overlap.start(PEOPLE))() == [[(9,)]]
        spare = app.extensions[overlap.EXTENSION]
        with spare.lock:  # busy: the statement runs on the request's connection
            assert overlap.start(PEOPLE)() == [[(10,)]]
    db.session.rollback()


def test_an_error_on_the_spare_connection_reaches_the_request(app, world):
    with app.test_request_context():
        failing = _on_the_spare(overlap.start(sa.text("SELECT * FROM no_such_table")))
        with pytest.raises(sa.exc.DBAPIError):
            failing()
        assert _on_the_spare(overlap.start(PEOPLE))() == [[(9,)]]  # the spare was released


def test_each_statement_gets_its_own_rows_whichever_connection_read_it(app, world):
    statements = [sa.select(sa.literal(i), sa.func.count()).select_from(Person)
                  for i in range(40)]
    with app.test_request_context():
        assert overlap.start(*statements)() == [[(i, 9)] for i in range(40)]


def test_the_request_connection_reads_what_the_busy_spare_has_not_taken(app, world):
    with app.test_request_context():
        spare = app.extensions.get(overlap.EXTENSION) or overlap._spare()
        with spare.lock:  # busy: nothing is started; every statement waits for the call
            reading = overlap.start(PEOPLE, PEOPLE)
            assert len(reading.waiting) == 2 and reading.thread is None
            assert reading() == [[(9,)], [(9,)]]
            assert not reading.waiting


def test_no_spare_connection_when_switched_off(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_DASHBOARD_OVERLAP", False)
    monkeypatch.delitem(app.extensions, overlap.EXTENSION, raising=False)
    with app.test_request_context():
        assert overlap.start(PEOPLE)() == [[(9,)]]
        assert app.extensions[overlap.EXTENSION] is None


@pytest.mark.parametrize("value, expected", [("0", False), ("1", True), ("no", False)])
def test_the_spare_connection_is_a_deployment_setting(monkeypatch, value, expected):
    from icrs.config import apply_environment
    monkeypatch.setenv("ICRS_DASHBOARD_OVERLAP", value)
    config = {"ICRS_DASHBOARD_OVERLAP": not expected}
    apply_environment(config)
    assert config["ICRS_DASHBOARD_OVERLAP"] is expected


def test_the_spare_connection_is_one_connection_with_the_apps_options(app, world):
    with app.test_request_context():
        overlap.start(PEOPLE)()
        spare = app.extensions[overlap.EXTENSION]
    assert spare.engine.pool.size() == 1 and spare.engine.pool._max_overflow == 0
    assert spare.engine.url == db.engine.url


def test_no_thread_to_be_had_leaves_the_spare_free(app, world, monkeypatch):
    def refuse(self):
        raise RuntimeError("can't start new thread")

    with app.test_request_context():
        monkeypatch.setattr(overlap.threading.Thread, "start", refuse)
        reading = overlap.start(PEOPLE)
        assert reading.thread is None and reading() == [[(9,)]]
        monkeypatch.undo()
        spare = app.extensions[overlap.EXTENSION]
        assert spare.lock.acquire(blocking=False)  # released: later pages still use it
        spare.lock.release()

"""Concurrent appends from separate connections queue on the head row: no fork, no gap, no lost
entry. Runs on SQLite and, with ICRS_TEST_DATABASE_URL, on PostgreSQL."""
import threading

import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.audit.services import record, verify_chain

THREADS = 6
PER_THREAD = 8


def _appender(app, barrier, errors, worker, slow=False):
    with app.app_context():
        from icrs.extensions import db

        try:
            barrier.wait(timeout=30)
            for i in range(PER_THREAD):
                record("test.concurrent", object_type="thing", object_id=f"{worker}-{i}",
                       worker=worker)
                if slow:  # hold the chain lock while the others wait for it
                    db.session.execute(sa.text("SELECT 1"))
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            db.session.rollback()
            errors.append(f"{worker}: {type(exc).__name__}: {exc}")
        finally:
            db.session.remove()


def _run(app, threads=THREADS):
    barrier = threading.Barrier(threads)
    errors = []
    workers = [threading.Thread(target=_appender, args=(app, barrier, errors, n, n == 0))
               for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not any(w.is_alive() for w in workers), "an appender hung"
    return errors


def test_concurrent_first_appends_do_not_fork(app, db):
    """The chain starts empty, so the threads also race to create the head row."""
    errors = _run(app)
    assert not errors, errors
    db.session.expire_all()
    result = verify_chain()
    assert result.ok, result
    assert result.checked == THREADS * PER_THREAD
    seqs = db.session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert seqs == list(range(1, THREADS * PER_THREAD + 1))


def test_concurrent_appends_continue_an_existing_chain(app, db):
    record("test.before", object_type="thing", object_id="0")
    db.session.commit()
    errors = _run(app)
    assert not errors, errors
    db.session.expire_all()
    result = verify_chain()
    assert result.ok and result.checked == THREADS * PER_THREAD + 1
    assert result.head_seq == THREADS * PER_THREAD + 1

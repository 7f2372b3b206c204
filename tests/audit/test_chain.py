"""The audit hash chain: appends link up; any change, deletion or reordering is detected."""
import sqlalchemy as sa

from icrs.audit.models import AuditEntry, AuditHead
from icrs.audit.services import record, verify_chain


def _three(db, make):
    actor = make.user("admin")
    for i in range(3):
        record("test.action", actor=actor, object_type="thing", object_id=i, n=i)
    db.session.commit()


def test_intact_chain_verifies(db, make):
    _three(db, make)
    result = verify_chain()
    assert result.ok and result.checked == 3


def test_changed_entry_detected(db, make):
    _three(db, make)
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(details='{"n":9}'))
    db.session.commit()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 2


def test_changed_ip_detected(app, db, make):
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.7"}):
        record("test.action", object_type="thing", object_id=1)
    db.session.commit()
    assert verify_chain().ok
    db.session.execute(sa.update(AuditEntry).values(ip="192.0.2.1"))
    db.session.commit()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 1 and "changed" in result.reason


def test_deleted_entry_detected(db, make):
    _three(db, make)
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq == 2))
    db.session.commit()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 2


def test_deleted_last_entry_detected(db, make):
    _three(db, make)
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq == 3))
    db.session.commit()
    assert not verify_chain().ok


def test_swapped_entries_detected(db, make):
    _three(db, make)
    rows = {e.seq: e for e in db.session.scalars(sa.select(AuditEntry))}
    a, b = rows[1], rows[2]
    fields = ("action", "object_id", "details", "at", "hash", "prev_hash")
    va, vb = ({f: getattr(a, f) for f in fields}, {f: getattr(b, f) for f in fields})
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 1)
                       .values(hash="x" * 64))  # avoid the unique clash during the swap
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(**va))
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 1).values(**vb))
    db.session.commit()
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 1


def test_head_tracks_tail(db, make):
    _three(db, make)
    head = db.session.get(AuditHead, 1)
    last = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    assert head.seq == 3 and head.hash == last.hash


def test_rolled_back_entry_leaves_chain_intact(db, make):
    _three(db, make)
    record("test.rolled_back", object_type="thing", object_id=9)
    db.session.rollback()
    record("test.after", object_type="thing", object_id=10)
    db.session.commit()
    result = verify_chain()
    assert result.ok and result.checked == 4


def test_cli_verify_exit_codes(app, db, make):
    _three(db, make)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["icrs", "audit", "verify"])
    assert ok.exit_code == 0 and "3 entries" in ok.output
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 1).values(action="x"))
    db.session.commit()
    bad = runner.invoke(args=["icrs", "audit", "verify"])
    assert bad.exit_code == 1 and "entry 1" in bad.output


def test_missing_head_detected(db, make):
    _three(db, make)
    db.session.execute(sa.delete(AuditHead))
    db.session.commit()
    result = verify_chain()
    assert not result.ok and "head" in result.reason


def test_append_after_lost_head_continues_the_chain(db, make):
    _three(db, make)
    db.session.execute(sa.delete(AuditHead))
    db.session.commit()
    entry = record("test.after", object_type="thing", object_id=4)
    db.session.commit()
    assert entry.seq == 4 and verify_chain().ok


def test_intact_result_reports_the_head(db, make):
    _three(db, make)
    result = verify_chain()
    assert result.head_seq == 3 and len(result.head_hash) == 64


def _cli(app):
    return app.test_cli_runner().invoke(args=["icrs", "audit", "verify"])


def test_cli_names_a_deleted_entry(app, db, make):
    _three(db, make)
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq == 2))
    db.session.commit()
    bad = _cli(app)
    assert bad.exit_code == 1 and "entry 2" in bad.output and "missing" in bad.output


def test_cli_names_a_reordered_entry(app, db, make):
    _three(db, make)
    rows = {e.seq: e for e in db.session.scalars(sa.select(AuditEntry))}
    fields = ("object_id", "details")
    va, vb = ({f: getattr(rows[2], f) for f in fields}, {f: getattr(rows[3], f) for f in fields})
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(**vb))
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 3).values(**va))
    db.session.commit()
    bad = _cli(app)
    assert bad.exit_code == 1 and "entry 2" in bad.output


def test_cli_on_empty_chain(app, db):
    ok = _cli(app)
    assert ok.exit_code == 0 and "0 entries" in ok.output

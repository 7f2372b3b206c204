"""The keyed chain: whoever can write the database but lacks the audit key cannot delete entries
and recompute a chain that verifies; anchors kept outside catch a rebuilt or cut chain even with
the key; the one-off re-keying of an old unkeyed chain."""
import hashlib
import json

import pytest
import sqlalchemy as sa

from icrs.audit import anchors as anchor_mod
from icrs.audit.models import AuditEntry, AuditHead
from icrs.audit.rekey import RekeyError, rekey_chain
from icrs.audit.services import (
    GENESIS,
    audit_key,
    entry_digest,
    legacy_digest,
    record,
    verify_chain,
)
from icrs.cli import icrs_cli
from icrs.referrals.notifications import EmailOutbox


def _entries(db, make, n=5):
    actor = make.user("admin")
    for i in range(n):
        record("test.action", actor=actor, object_type="thing", object_id=i, n=i)
    db.session.commit()


def _rebuild(db, digest):
    """What a database writer does after deleting rows: relink and rehash every entry and the
    head with `digest(entry fields, prev) -> hash`."""
    prev = GENESIS
    rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)).all()
    for new_seq, e in enumerate(rows, 1):
        db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == e.seq).values(
            seq=new_seq, prev_hash=prev,
            hash=digest(new_seq, e.at, e.actor_id, e.action, e.object_type, e.object_id,
                        e.details, prev, e.ip)))
        prev = digest(new_seq, e.at, e.actor_id, e.action, e.object_type, e.object_id,
                      e.details, prev, e.ip)
    db.session.execute(sa.update(AuditHead).values(seq=len(rows), hash=prev))
    db.session.commit()
    db.session.expire_all()


def _delete(db, seq):
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq == seq))
    db.session.commit()


def test_entries_carry_an_hmac_not_a_plain_hash(db, make):
    _entries(db, make, 1)
    e = db.session.scalar(sa.select(AuditEntry))
    fields = (e.seq, e.at, e.actor_id, e.action, e.object_type, e.object_id, e.details,
              e.prev_hash, e.ip)
    assert e.hash == entry_digest(*fields) != legacy_digest(*fields)


def test_deletion_recomputed_without_the_key_is_detected(db, make):
    _entries(db, make)
    _delete(db, 3)
    _rebuild(db, legacy_digest)  # the plain SHA-256 anyone can compute
    result = verify_chain()
    assert not result.ok and result.first_bad_seq == 1


def test_deletion_recomputed_with_a_guessed_key_is_detected(db, make):
    _entries(db, make)
    _delete(db, 3)
    _rebuild(db, lambda *f: entry_digest(*f, key=b"\0" * 32))
    assert not verify_chain().ok


def _anchor_now():
    return anchor_mod.anchor_line(*anchor_mod.current_head())


def test_anchor_catches_a_rebuild_even_with_the_key(db, make):
    _entries(db, make)
    anchors = anchor_mod.parse_anchors(_anchor_now())
    assert verify_chain(anchors=anchors).ok
    _delete(db, 3)
    _rebuild(db, entry_digest)  # the key leaked: the chain alone verifies again
    assert verify_chain().ok
    result = verify_chain(anchors=anchors)
    assert not result.ok and "anchor" in result.reason


def test_truncation_before_the_last_anchor_is_detected(db, make):
    _entries(db, make)
    anchors = anchor_mod.parse_anchors(_anchor_now())
    for seq in (4, 5):
        _delete(db, seq)
    tail = db.session.get(AuditEntry, 3)
    db.session.execute(sa.update(AuditHead).values(seq=3, hash=tail.hash))
    db.session.commit()
    assert verify_chain().ok  # the head was moved back with the cut
    result = verify_chain(anchors=anchors)
    assert not result.ok and result.first_bad_seq == 5 and "truncated" in result.reason


def test_malformed_anchor_file_refused():
    with pytest.raises(anchor_mod.AnchorError, match="line 2"):
        anchor_mod.parse_anchors("# anchors\nseq=3 mac=zz\n")


def test_anchor_command_appends_and_mails_and_verify_uses_the_file(app, db, make, tmp_path):
    _entries(db, make, 2)
    make.user("admin", email="chief@example.org")
    db.session.commit()
    path = tmp_path / "anchors.txt"
    runner = app.test_cli_runner()
    first = runner.invoke(icrs_cli, ["audit", "anchor", "--file", str(path), "--mail"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(icrs_cli, ["audit", "anchor", "--file", str(path)])
    assert second.exit_code == 0, second.output
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and "seq=3 " in lines[0] and "seq=4 " in lines[1]
    assert lines[1] in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailOutbox).where(
        EmailOutbox.to_address == "chief@example.org", EmailOutbox.body.contains(lines[0])))
    ok = runner.invoke(icrs_cli, ["audit", "verify", "--anchors", str(path)])
    assert ok.exit_code == 0 and "anchors matched: 2" in ok.output
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 3).values(
        hash="f" * 64))
    db.session.commit()
    broken = runner.invoke(icrs_cli, ["audit", "verify", "--anchors", str(path)])
    assert broken.exit_code == 1


# --- the one-off re-keying ------------------------------------------------------------------------
def _legacy_chain(db, make, n=4):
    """Entries as the unkeyed chain wrote them (before 0007_h6)."""
    _entries(db, make, n)
    _rebuild(db, legacy_digest)


def test_rekey_turns_a_legacy_chain_into_a_keyed_one(db, make):
    _legacy_chain(db, make)
    assert not verify_chain().ok
    with db.engine.begin() as conn:
        assert rekey_chain(conn, audit_key()) == 4
    db.session.expire_all()
    assert verify_chain().ok and verify_chain().checked == 4
    with db.engine.begin() as conn:
        assert rekey_chain(conn, audit_key()) == 0  # once only


def test_rekey_refuses_a_broken_legacy_chain(db, make):
    _legacy_chain(db, make)
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == 2).values(
        details=json.dumps({"n": 99})))
    db.session.commit()
    before = db.session.scalars(sa.select(AuditEntry.hash).order_by(AuditEntry.seq)).all()
    with pytest.raises(RekeyError, match="entry 2"), db.engine.begin() as conn:
        rekey_chain(conn, audit_key())
    assert db.session.scalars(sa.select(AuditEntry.hash).order_by(AuditEntry.seq)).all() == before


def test_legacy_digest_is_the_old_sha256():
    assert len(legacy_digest(1, __import__("datetime").datetime(2025, 1, 1), None, "a", None,
                             None, "{}", GENESIS)) == len(hashlib.sha256().hexdigest())

"""Append to and verify the audit chain. Details must never contain personal values."""
import hashlib
import hmac
import json
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, g, has_app_context

from icrs.audit.models import AuditEntry, AuditHead
from icrs.core.timeutil import utcnow
from icrs.extensions import db

GENESIS = "0" * 64


def _payload(seq, at, actor_id, action, object_type, object_id, details, prev_hash, ip):
    return json.dumps(
        [seq, at.isoformat(timespec="microseconds"), actor_id, action, object_type, object_id,
         details, prev_hash, ip],
        separators=(",", ":"), ensure_ascii=True,
    ).encode()


def audit_key() -> bytes:
    """The chain's HMAC key (instance/keys/audit.key or ICRS_AUDIT_KEY), never in the database."""
    return current_app.extensions["icrs_crypto"].audit_key


def entry_digest(seq, at, actor_id, action, object_type, object_id, details, prev_hash,
                 ip=None, key=None) -> str:
    """HMAC-SHA256 over every column of the entry (the IP too: a forged origin must show),
    keyed so that whoever can write the database cannot recompute the chain."""
    payload = _payload(seq, at, actor_id, action, object_type, object_id, details, prev_hash, ip)
    return hmac.new(key or audit_key(), payload, hashlib.sha256).hexdigest()


def legacy_digest(seq, at, actor_id, action, object_type, object_id, details, prev_hash,
                  ip=None) -> str:
    """The unkeyed SHA-256 of the chain before it was keyed (read once, by the re-keying)."""
    payload = _payload(seq, at, actor_id, action, object_type, object_id, details, prev_hash, ip)
    return hashlib.sha256(payload).hexdigest()


def _lock_head():
    """Take the chain lock: an UPDATE on the single head row (row lock on PostgreSQL,
    write lock on SQLite) so concurrent appends queue instead of forking the chain."""
    if not _bump_head():
        _create_head()
        if not _bump_head():  # pragma: no cover - the row exists now, committed by someone
            raise RuntimeError("audit head row missing after creation")
    return db.session.execute(
        sa.select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
    ).one()


def _bump_head() -> bool:
    return bool(db.session.execute(
        sa.update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1)
    ).rowcount)


def _create_head():
    """First append ever: create the head in a savepoint. Two first appends racing on
    PostgreSQL both find no row to lock; the loser's INSERT waits for the winner's commit and
    fails on the primary key, and then simply locks the winner's row."""
    tail = db.session.execute(
        sa.select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).one_or_none()
    seq, digest = tail if tail else (0, GENESIS)
    try:
        with db.session.begin_nested():
            db.session.add(AuditHead(id=1, seq=seq, hash=digest))
    except sa.exc.IntegrityError:
        pass


def record(action, actor=None, obj=None, object_type=None, object_id=None, **details):
    """Append one audit entry (flushes, never commits)."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    seq, prev_hash = _lock_head()
    at = utcnow()
    actor_id = getattr(actor, "id", None)
    oid = None if object_id is None else str(object_id)
    canonical = json.dumps(details, sort_keys=True, separators=(",", ":"), default=str)
    ip = g.get("client_ip") if has_app_context() else None  # set per request (icrs.web)
    digest = entry_digest(seq, at, actor_id, action, object_type, oid, canonical, prev_hash, ip)
    entry = AuditEntry(seq=seq, at=at, actor_id=actor_id, action=action, object_type=object_type,
                       object_id=oid, details=canonical, prev_hash=prev_hash, hash=digest, ip=ip)
    db.session.add(entry)
    db.session.execute(sa.update(AuditHead).where(AuditHead.id == 1).values(hash=digest))
    db.session.flush()
    return entry


def commit_view():
    """Commit a page view's audit entry before the page is rendered, without expiring what
    the request has loaded: it was read in this request, and expiring it would make the page
    read every row again, one by one."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_seq: int | None = None
    head_hash: str | None = None


def verify_chain(batch=5000, anchors=None) -> VerifyResult:
    """Walk the chain in order; report the first entry that is missing, altered or out of place,
    and, given anchors ({seq: mac} written down outside the database by `audit anchor`), any
    anchored entry that is gone or whose MAC differs (the chain was cut or rebuilt)."""
    key, anchors = audit_key(), dict(anchors or {})
    expected_prev, expected_seq, checked, last_seq = GENESIS, 1, 0, 0
    while True:
        rows = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq)
            .limit(batch)
        ).all()
        if not rows:
            break
        for e in rows:
            problem = _check_entry(e, expected_seq, expected_prev, key) or _check_anchor(
                e, anchors.pop(e.seq, None))
            if problem:
                return VerifyResult(False, checked, min(e.seq, expected_seq), problem)
            expected_prev, expected_seq, last_seq, checked = e.hash, e.seq + 1, e.seq, checked + 1
        db.session.expunge_all()
    if anchors:
        seq = min(anchors)
        return VerifyResult(False, checked, seq, f"anchored entry {seq} is missing: the chain "
                            f"was truncated (it ends at entry {last_seq})")
    return _check_head(checked, last_seq, expected_prev)


def _check_anchor(entry, mac):
    if mac is not None and not hmac.compare_digest(mac, entry.hash):
        return "the entry differs from its anchor (the chain was rebuilt)"
    return None


def _check_head(checked, last_seq, last_hash):
    """The head pins the tail, so removing the newest entries is detected too."""
    head = db.session.get(AuditHead, 1)
    if head is None:
        if checked:
            return VerifyResult(False, checked, last_seq, "the chain head record is missing")
        return VerifyResult(True, 0)
    if head.seq != last_seq or head.hash != last_hash:
        return VerifyResult(False, checked, last_seq + 1, "entries missing at the end of the chain")
    return VerifyResult(True, checked, head_seq=head.seq, head_hash=head.hash)


def _check_entry(e, expected_seq, expected_prev, key):
    if e.seq != expected_seq:
        return f"entry {expected_seq} is missing (next found: {e.seq})"
    if e.prev_hash != expected_prev:
        return "previous-hash link broken (entry removed or reordered before it)"
    digest = entry_digest(e.seq, e.at, e.actor_id, e.action, e.object_type, e.object_id,
                          e.details, e.prev_hash, e.ip, key=key)
    if not hmac.compare_digest(digest, e.hash):
        return "content does not match its hash (entry changed)"
    return None

"""Re-key the audit chain once: from the unkeyed SHA-256 chain to HMAC-SHA256 under the audit key.

The old chain is verified in full first: re-keying a broken chain would launder the break, so a
break stops the re-keying (naming the entry) and nothing is written. Runs on a plain connection
(Core only, no models) so the migration 0007_h6 and `flask icrs audit rekey` share it."""
import sqlalchemy as sa

from icrs.audit.services import GENESIS, entry_digest, legacy_digest

ENTRY = sa.table("audit_entry", sa.column("seq", sa.BigInteger), sa.column("at", sa.DateTime),
                 sa.column("actor_id", sa.Integer), sa.column("action", sa.String),
                 sa.column("object_type", sa.String), sa.column("object_id", sa.String),
                 sa.column("details", sa.Text), sa.column("ip", sa.String),
                 sa.column("prev_hash", sa.String), sa.column("hash", sa.String))
HEAD = sa.table("audit_head", sa.column("id", sa.Integer), sa.column("hash", sa.String))
BATCH = 2000


class RekeyError(RuntimeError):
    """The old chain does not verify; the message names the first bad entry."""


def _rows(conn):
    last = 0
    while True:
        rows = conn.execute(sa.select(ENTRY).where(ENTRY.c.seq > last)
                            .order_by(ENTRY.c.seq).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def _fields(row, prev):
    return (row.seq, row.at, row.actor_id, row.action, row.object_type, row.object_id,
            row.details, prev, row.ip)


def is_keyed(conn, key) -> bool:
    """True when the first entry already carries its HMAC (or there is no entry)."""
    first = conn.execute(sa.select(ENTRY).order_by(ENTRY.c.seq).limit(1)).first()
    return first is None or entry_digest(*_fields(first, first.prev_hash), key=key) == first.hash


def check_legacy(conn) -> int:
    expected_prev, expected_seq = GENESIS, 1
    for row in _rows(conn):
        if row.seq != expected_seq or row.prev_hash != expected_prev \
                or legacy_digest(*_fields(row, row.prev_hash)) != row.hash:
            raise RekeyError(f"the audit chain is broken at entry {min(row.seq, expected_seq)}: "
                             f"it was not re-keyed (investigate before anything else)")
        expected_prev, expected_seq = row.hash, row.seq + 1
    return expected_seq - 1


def rekey_chain(conn, key) -> int:
    """Re-key every entry and the head; returns how many entries (0 when already keyed)."""
    if is_keyed(conn, key):
        return 0
    count = check_legacy(conn)
    prev = GENESIS
    for row in _rows(conn):
        digest = entry_digest(*_fields(row, prev), key=key)
        conn.execute(sa.update(ENTRY).where(ENTRY.c.seq == row.seq)
                     .values(prev_hash=prev, hash=digest))
        prev = digest
    conn.execute(sa.update(HEAD).where(HEAD.c.id == 1).values(hash=prev))
    return count

"""Anchors: the chain's head (seq and MAC) written down outside the database, so that even
someone holding the audit key cannot rebuild or cut the chain before an anchor unnoticed.

`flask icrs audit anchor` appends a line to an append-only file (ICRS_AUDIT_ANCHOR_FILE) and/or
mails it to the administrators; `flask icrs audit verify --anchors FILE` checks the chain
against every anchor in the file. A line:  icrs-audit-anchor <UTC time> seq=<n> mac=<64 hex>
"""
import os
import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from icrs.audit.models import AuditHead
from icrs.core.timeutil import utcnow
from icrs.extensions import db

LINE = re.compile(r"^icrs-audit-anchor (\S+) seq=(\d+) mac=([0-9a-f]{64})$")


class AnchorError(ValueError):
    """The anchor file is malformed; the message names the line."""


def current_head():
    """(seq, mac) of the newest entry, from the head row that pins the tail."""
    head = db.session.execute(sa.select(AuditHead.seq, AuditHead.hash)
                              .where(AuditHead.id == 1)).one_or_none()
    return (head.seq, head.hash) if head else (0, None)


def anchor_line(seq, mac, at=None):
    at = at or utcnow()
    return f"icrs-audit-anchor {at:%Y-%m-%dT%H:%M:%SZ} seq={seq} mac={mac}"


def append_anchor(path, line):
    """Append one line (O_APPEND: never rewrites what is there), owner-only, synced."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def parse_anchors(text):
    """{seq: mac} from an anchor file; blank lines and # comments are skipped."""
    anchors = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if not match:
            raise AnchorError(f"line {number} of the anchor file is not an anchor")
        seq, mac = int(match.group(2)), match.group(3)
        if anchors.get(seq, mac) != mac:
            raise AnchorError(f"line {number}: entry {seq} is anchored twice with different MACs")
        anchors[seq] = mac
    return anchors


def mail_anchor(line):
    """Queue the anchor line by e-mail to every active administrator with an address (the
    outbox delivers it); returns how many were queued."""
    from icrs.auth.models import User
    from icrs.auth.roles import Role
    from icrs.referrals.notifications import EmailOutbox

    admins = db.session.scalars(sa.select(User).where(
        User.role == Role.ADMIN, User.active.is_(True), User.email.is_not(None))).all()
    for admin in admins:
        with force_locale(admin.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = str(_l("ICRS: audit log anchor"))
            body = str(_l("Keep this line outside ICRS: it proves the audit log up to this "
                          "entry.")) + f"\n\n{line}\n"
        db.session.add(EmailOutbox(user_id=admin.id, to_address=admin.email, subject=subject,
                                   body=body))
    db.session.flush()
    return len(admins)

"""Justifications of personal-data exports: sealed beside their audit entry, opened for admins
in the audit viewer only."""
from icrs.audit.models import ExportJustification
from icrs.crypto import open_system, seal_system
from icrs.extensions import db


def _aad(seq):
    return f"export_justification.text.{seq}"


def keep_justification(entry, category, text):
    """Seal the text (free, may name people) under the KEK-derived system key; flushes."""
    db.session.add(ExportJustification(audit_seq=entry.seq, category=category,
                                       text_sealed=seal_system(text.encode(), _aad(entry.seq))))
    db.session.flush()


def justification_text(entry):
    """The justification of an export entry, or None."""
    row = db.session.get(ExportJustification, entry.seq)
    if row is None:
        return None
    return open_system(row.text_sealed, _aad(entry.seq)).decode()

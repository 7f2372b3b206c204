"""The finance reconciliation export: every ledger line of one funding source handed over in one
programme period, a person by their case number only (no name, no identity field is read, so
nothing is decrypted), with a total per entitlement. Audited with its justification, then
streamed from the database batch by batch."""
import csv
import io

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from icrs.assistance.models import AssistanceType, Entitlement, Handover, ReceiptMethod
from icrs.audit.justifications import keep_justification
from icrs.audit.services import record
from icrs.auth.models import User
from icrs.core.errors import AccessDenied
from icrs.core.models import Site
from icrs.dashboard.exports import _safe
from icrs.extensions import db
from icrs.people.models import Person

BATCH = 500
COLUMNS = (_l("Case number"), _l("Assistance entitlement"), _l("Assistance type"),
           _l("Ledger line"), _l("Date"), _l("Site"), _l("Value (XAF)"),
           _l("Corrects the line"), _l("Corrected by the line"), _l("Recorded by"),
           _l("Receipt"), _l("Approved amount (XAF)"))


def can_export(user) -> bool:
    return user.can("assistance.reconciliation")


def _statement(source, period):
    reversal = aliased(Handover)  # the line correcting this one, if any
    return (sa.select(Person.case_number, Handover.entitlement_id, AssistanceType.name_fr,
                      AssistanceType.name_en, Handover.id, Handover.handed_on, Site.code,
                      Handover.value, Handover.reverses_id, reversal.id, User.username,
                      Handover.receipt_method, Entitlement.amount)
            .select_from(Handover)
            .join(Entitlement, Entitlement.id == Handover.entitlement_id)
            .join(AssistanceType, AssistanceType.id == Entitlement.assistance_type_id)
            .join(Person, Person.id == Entitlement.person_id)
            .join(Site, Site.id == Handover.site_id)
            .join(User, User.id == Handover.given_by_id)
            .outerjoin(reversal, reversal.reverses_id == Handover.id)
            .where(AssistanceType.funding_source_id == source.id,
                   Handover.handed_on >= period.starts_on, Handover.handed_on <= period.ends_on)
            .order_by(Person.case_number, Handover.entitlement_id, Handover.recorded_at,
                      Handover.id))


def count_lines(source, period) -> int:
    stmt = _statement(source, period).with_only_columns(sa.func.count()).order_by(None)
    return db.session.scalar(stmt) or 0


def start_reconciliation(actor, source, period, reason_category, reason) -> int:
    """Check the right, write the audit entry (no personal value) and keep the justification
    sealed beside it; returns the number of ledger lines. Flushes, never commits."""
    if not can_export(actor):
        raise AccessDenied(_l("Only an administrator may export the reconciliation."))
    rows = count_lines(source, period)
    entry = record("assistance.reconciliation_export", actor=actor, obj=source,
                   period=period.id, rows=rows, reason_category=reason_category,
                   reason_length=len(reason or ""))
    keep_justification(entry, reason_category, reason)
    return rows


def _line(row, english):
    (case_number, entitlement_id, name_fr, name_en, line_id, day, site, value, reverses,
     reversed_by, username, receipt, _amount) = row
    method = "" if receipt is None else str(ReceiptMethod(receipt).label)
    return [case_number, str(entitlement_id), name_en if english else name_fr, str(line_id),
            day.isoformat(), site, value, str(reverses or ""), str(reversed_by or ""), username,
            method, ""]


def _total(row, total, english):
    return [row[0], str(row[1]), row[3] if english else row[2], _("Total of the entitlement"),
            "", "", total, "", "", "", "", row[12]]


def _cells(values):
    """Text a spreadsheet will not run as a formula; numbers stay numbers (negative too)."""
    return [_safe(v) if isinstance(v, str) else v for v in values]


def generate_csv(source, period):
    """Yield the CSV text batch by batch: the lines of each entitlement, then its total."""
    english = str(get_locale() or "fr").startswith("en")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(c) for c in COLUMNS])
    yield "\ufeff" + _drain(buffer)
    result = db.session.execute(_statement(source, period).execution_options(yield_per=BATCH))
    last, total = None, 0
    for batch in result.partitions(BATCH):
        for row in batch:
            if last is not None and row[1] != last[1]:
                writer.writerow(_cells(_total(last, total, english)))
                total = 0
            writer.writerow(_cells(_line(row, english)))
            last, total = row, total + row[7]
        yield _drain(buffer)
    if last is not None:
        writer.writerow(_cells(_total(last, total, english)))
    yield _drain(buffer)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text

"""The admin's list export with personal data: audited, and decrypting only the chosen fields."""
import csv
import io

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import load_only, raiseload

from icrs.audit.justifications import keep_justification
from icrs.audit.services import record
from icrs.core.errors import AccessDenied
from icrs.core.timeutil import export_text
from icrs.crypto import preload_keys
from icrs.dashboard.exports import _safe
from icrs.extensions import db
from icrs.people.models import Person

BATCH = 500
# field -> (column header, attribute); plain fields first, encrypted ones after.
PLAIN_FIELDS = {
    "case_number": (_l("Case number"), "case_number"),
    "site": (_l("Site"), None),
    "sex": (_l("Sex"), "sex"),
    "birth_year": (_l("Birth year"), "birth_year"),
    "category": (_l("Category"), "category"),
    "stage": (_l("Stage"), "stage"),
    "registered_at": (_l("Registered on"), "registered_at"),
}
ENCRYPTED_FIELDS = {
    "first_name": _l("First name"), "last_name": _l("Last name"),
    "other_names": _l("Other names or aliases"), "birth_date": _l("Date of birth"),
    "phone": _l("Phone"), "id_number": _l("ID or DDR card number"),
    "address": _l("Address or place of residence"), "caregiver_name": _l("Caregiver"),
    "caregiver_phone": _l("Caregiver's phone"),
}


def field_choices():
    return ([(k, label) for k, (label, _) in PLAIN_FIELDS.items()]
            + list(ENCRYPTED_FIELDS.items()))


def _statement(filters, fields):
    columns = [Person.id, Person.case_number, Person.site_id]
    columns += [getattr(Person, PLAIN_FIELDS[f][1]) for f in fields
                if f in PLAIN_FIELDS and PLAIN_FIELDS[f][1] not in (None, "case_number")]
    columns += [getattr(Person, f"{f}_ct") for f in fields if f in ENCRYPTED_FIELDS]
    return (sa.select(Person).options(load_only(*columns), raiseload("*"))
            .where(Person.erased_at.is_(None), *filters.person_conditions(),
                   *filters.in_period(Person.registered_at))
            .order_by(Person.case_number))


def count_people(filters):
    stmt = _statement(filters, []).with_only_columns(sa.func.count()).order_by(None)
    return db.session.scalar(stmt) or 0


def start_personal_export(actor, filters, fields, reason_category, reason):
    """Check the right, write the audit entry (no personal value) and keep the justification
    beside it, sealed (it is free text)."""
    if not actor.can("dashboard.export_personal"):
        raise AccessDenied(_l("Only an administrator may export personal data."))
    fields = [f for f in fields if f in PLAIN_FIELDS or f in ENCRYPTED_FIELDS]
    rows = count_people(filters)
    entry = record("dashboard.personal_export", actor=actor, object_type="person_list",
                   rows=rows, fields=fields, reason_category=reason_category,
                   reason_length=len(reason or ""), filters=filters.query_args())
    keep_justification(entry, reason_category, reason)
    return fields, rows


SITE_PCODE = _l("Site p-code")


def _columns(fields):
    """The file's columns: the case number first, and the site's p-code after its code."""
    chosen = ["case_number"] + [f for f in fields if f != "case_number"]
    return [c for f in chosen for c in ((f, "site_pcode") if f == "site" else (f,))]


def _title(column):
    if column == "site_pcode":
        return str(SITE_PCODE)
    return str(PLAIN_FIELDS[column][0] if column in PLAIN_FIELDS else ENCRYPTED_FIELDS[column])


def generate_csv(filters, fields, sites):
    """Yield CSV text batch by batch; only the chosen encrypted fields are ever decrypted.
    `sites`: {site id: Site} of the user's area."""
    columns = _columns(fields)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_title(c) for c in columns])
    yield "\ufeff" + _drain(buffer)
    chosen = [c for c in columns if c != "site_pcode"]
    result = db.session.execute(_statement(filters, chosen).execution_options(yield_per=BATCH))
    for batch in result.scalars().partitions(BATCH):
        preload_keys([p.id for p in batch])
        for person in batch:
            writer.writerow([_safe(_value(person, c, sites)) for c in columns])
        yield _drain(buffer)
        for person in batch:  # keep memory flat; decrypted values leave with the objects
            db.session.expunge(person)


def _value(person, name, sites):
    if name in ("site", "site_pcode"):
        site = sites.get(person.site_id)
        return "" if site is None else (site.code if name == "site" else site.pcode or "")
    value = getattr(person, PLAIN_FIELDS[name][1] if name in PLAIN_FIELDS else name)
    if value is None:
        return ""
    return export_text(value) if hasattr(value, "isoformat") else str(value)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text

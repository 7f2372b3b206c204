"""Read-only queries over the audit log for the viewer and the case history (never decrypts)."""
import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import to_utc
from sqlalchemy.orm import joinedload

from icrs.audit.detail_labels import key_label, value_label
from icrs.audit.models import AuditEntry
from icrs.auth.models import User
from icrs.extensions import db


@dataclass
class AuditFilter:
    actor: str | None = None  # username, exact
    action: str | None = None  # dotted prefix: "people" or "people.viewed"
    object_type: str | None = None
    object_id: str | None = None
    date_from: object = None  # dates in the user's time zone, both inclusive
    date_to: object = None


def filtered(flt: AuditFilter):
    stmt = sa.select(AuditEntry).options(joinedload(AuditEntry.actor))
    if flt.actor:
        stmt = stmt.join(User, AuditEntry.actor_id == User.id).where(User.username == flt.actor)
    if flt.action:
        stmt = stmt.where(_action_prefix(flt.action))
    if flt.object_type:
        stmt = stmt.where(AuditEntry.object_type == flt.object_type)
    if flt.object_id:
        stmt = stmt.where(AuditEntry.object_id == flt.object_id)
    if flt.date_from:
        stmt = stmt.where(AuditEntry.at >= _utc_midnight(flt.date_from))
    if flt.date_to:
        stmt = stmt.where(AuditEntry.at < _utc_midnight(flt.date_to + timedelta(days=1)))
    return stmt.order_by(AuditEntry.seq.desc())


def _action_prefix(prefix):
    """"people" matches people.viewed but not peoplex.y; "people." and "people.viewed" too."""
    prefix = prefix.rstrip(".")
    return sa.or_(AuditEntry.action == prefix,
                  AuditEntry.action.startswith(prefix + ".", autoescape=True))


def _utc_midnight(day):
    return to_utc(datetime.combine(day, time.min))


def case_history_query(person):
    """Entries about one person, newest first: who viewed or changed the case."""
    return (sa.select(AuditEntry).options(joinedload(AuditEntry.actor))
            .where(AuditEntry.object_type == "person", AuditEntry.object_id == str(person.id))
            .order_by(AuditEntry.seq.desc()))


def case_history(person, limit=20):
    return db.session.scalars(case_history_query(person).limit(limit)).all()


def object_types():
    return db.session.scalars(sa.select(AuditEntry.object_type).distinct()
                              .where(AuditEntry.object_type.is_not(None))
                              .order_by(AuditEntry.object_type)).all()


def detail_items(entry, with_keys=False):
    """Details as (key label, text) pairs for display — (key, key label, text) `with_keys`;
    values are codes, counts and ids only."""
    try:
        details = json.loads(entry.details or "{}")
    except ValueError:
        details = None
    if not isinstance(details, dict):
        items = [("?", "?", entry.details if details is None else str(details))]
    else:
        items = [(key, key_label(key), _text(value, key))
                 for key, value in sorted(details.items())]
    return items if with_keys else [(label, text) for _key, label, text in items]


def _text(value, key=None):
    if isinstance(value, list):
        return ", ".join(_text(v, key) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{key_label(k)} = {_text(v, k)}"
                         for k, v in sorted(value.items())) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value_label(key, value))

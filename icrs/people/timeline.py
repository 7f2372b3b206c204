"""The case timeline: events from every domain, newest first. Decrypts nothing but note texts
the page shows."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.core.signals import values_from_signal
from icrs.core.timeutil import format_day
from icrs.extensions import db
from icrs.people import signals
from icrs.people.models import Consent, FollowUp, Note, StageChange
from icrs.people.states import SuspendReason


@dataclass
class Event:
    at: datetime
    kind: str
    title: object
    detail: object = ""
    actor: object = None


def reason_label(reason):
    """A suspension or exit reason's label; other reasons are the caseworker's own words."""
    if reason in {m.value for m in SuspendReason}:
        return SuspendReason(reason).label
    if lookups.is_valid("exit_reason", reason, allow_retired=True):
        return lookups.label("exit_reason", reason)
    return reason or ""


def _stage_events(person):
    for c in db.session.scalars(sa.select(StageChange).where(StageChange.person_id == person.id)):
        title = _l("Stage: %(stage)s", stage=c.to_stage.label)
        yield Event(c.at, "stage", title, reason_label(c.reason), c.actor)


def _consent_events(person, categories):
    for c in db.session.scalars(sa.select(Consent).where(Consent.person_id == person.id)):
        category = categories.get(c.service_category, c.service_category) or ""
        yield Event(c.given_at, "consent", _l("Consent given: %(p)s", p=c.purpose.label),
                    category, c.recorded_by)
        if c.withdrawn_at:
            yield Event(c.withdrawn_at, "consent",
                        _l("Consent withdrawn: %(p)s", p=c.purpose.label),
                        category, c.withdrawn_by)


def _note_events(person):
    for n in db.session.scalars(sa.select(Note).where(Note.person_id == person.id)):
        yield Event(n.created_at, "note", n.kind.label, n.text, n.author)


def _follow_up_events(person):
    for f in db.session.scalars(sa.select(FollowUp).where(FollowUp.person_id == person.id)):
        yield Event(f.created_at, "follow_up", _l("Follow-up planned for %(d)s",
                                                  d=format_day(f.due_date)), f.purpose)
        if f.done_at:
            yield Event(f.done_at, "follow_up", _l("Follow-up done"), f.outcome)


def _other_domains(person, user=None):
    """Events the domains above answer (signals.timeline_events), as `user` may see them."""
    for at, kind, title, detail, actor in values_from_signal(
            signals.timeline_events.send(person, user=user), multi_value=True):
        yield Event(at, kind, title, detail, actor)


def timeline(person, categories=None, user=None):
    """`categories`: service category code -> name, for the consent events; `user`: the viewer
    (labels that only some may see)."""
    events = [*_stage_events(person), *_consent_events(person, categories or {}),
              *_note_events(person),
              *_follow_up_events(person), *_other_domains(person, user)]
    return sorted(events, key=lambda e: e.at, reverse=True)

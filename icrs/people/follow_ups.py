"""Structured follow-up visits and the follow-ups scheduled after key events.

A visit is recorded with its date, type and coded outcomes (icrs.people.outcomes) and an
optional encrypted note; the audit entry carries the codes only. Follow-ups are scheduled
automatically after an event (a referral completed: `schedule_after`) at the offsets of
ICRS_FOLLOWUP_MONTHS, once per (person, event kind, event id, offset): a second signal of the
same event adds nothing (the unique key uq_follow_up_source backs it).
"""
import calendar
import datetime as dt

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import to_local, utcnow, zone_of
from icrs.extensions import db
from icrs.people import signals, sustainability
from icrs.people.casework import MAX_TEXT
from icrs.people.models import WHO5_COLUMNS, FollowUp, SustainabilityBaseline
from icrs.people.outcomes import (
    Activity,
    FollowUpSource,
    Housing,
    IncomeBand,
    Safety,
    StillRunning,
    VisitType,
)

DEFAULT_MONTHS = "1,3,6,12"
REFERRAL_COMPLETED = FollowUpSource.REFERRAL_COMPLETED.value
ENUM_ITEMS = {"visit_type": VisitType, "activity": Activity, "income_band": IncomeBand,
              "business_running": StillRunning, "housing": Housing, "safety": Safety}
SCALE_ITEMS = {"family_acceptance": (1, 4), "community_acceptance": (1, 4),
               **{name: (0, 5) for name in WHO5_COLUMNS}}


# --- recording a visit ----------------------------------------------------------------------------
def local_today(actor):
    return to_local(utcnow(), zone_of(actor)).date()


def _visit_date(actor, person, value):
    if value is None:
        raise DomainError(_l("Give the date of the visit."), "visit_date")
    if value > local_today(actor):
        raise DomainError(_l("The date of the visit cannot be in the future."), "visit_date")
    if person.registered_at is not None and value < person.registered_at.date():
        raise DomainError(_l("The visit cannot be before the registration."), "visit_date")
    return value


def _coded(name, value):
    if name in ENUM_ITEMS:
        try:
            return ENUM_ITEMS[name](value)
        except ValueError:
            raise DomainError(_l("Choose an answer from the list."), name) from None
    low, high = SCALE_ITEMS[name]
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise DomainError(_l("Choose a value from %(low)s to %(high)s.", low=low, high=high),
                          name)
    return number


def _shipped_version() -> str:
    from icrs.field import questionnaire
    return questionnaire.load("follow_up_visit").version


def clean_visit(actor, person, data: dict) -> dict:
    """Every item checked before anything is written; DomainError at the first bad field."""
    clean = {"visit_date": _visit_date(actor, person, data.get("visit_date"))}
    for name in (*ENUM_ITEMS, *SCALE_ITEMS):
        clean[name] = _coded(name, data.get(name))
    return clean


def record_visit(actor, person, follow_up, data: dict, note=None,
                 form_version=None) -> FollowUp:
    """The follow-up is done: a structured visit (codes in plain columns, the note encrypted),
    with the version of the visit form it was answered on (default: the shipped one)."""
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can add to this case."))
    if follow_up.person_id != person.id:
        raise DomainError(_l("This follow-up belongs to another case."))
    if follow_up.done_at is not None:
        raise DomainError(_l("This follow-up is already done."))
    clean = clean_visit(actor, person, data)
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), "note")
    for name, value in clean.items():
        setattr(follow_up, name, value)
    follow_up.outcome = note or None
    follow_up.done_at, follow_up.done_by_id = utcnow(), actor.id
    follow_up.form_version = str(form_version or _shipped_version())[:64]
    ensure_baseline(person)
    # the visit's type only: its answers (income, safety, wellbeing) are the person's, on the
    # follow-up, not copies in the audit log that every reader of the log would see
    record("people.follow_up_done", actor=actor, obj=person, follow_up=str(follow_up.id),
           visit_type=clean["visit_type"].value)
    db.session.flush()
    return follow_up


def clear_visit_codes(person):
    """Erasure: the visits' codes and the baseline go (like the profile's coded answers)."""
    db.session.execute(sa.update(FollowUp).where(FollowUp.person_id == person.id).values(
        {name: None for name in (*ENUM_ITEMS, *SCALE_ITEMS, "visit_date")}))
    db.session.execute(sa.delete(SustainabilityBaseline).where(
        SustainabilityBaseline.person_id == person.id))


# --- scheduling -----------------------------------------------------------------------------------
def offsets() -> tuple[int, ...]:
    """ICRS_FOLLOWUP_MONTHS ("1,3,6,12"): months after the event, the one place they are set."""
    raw = current_app.config.get("ICRS_FOLLOWUP_MONTHS") if has_app_context() else None
    months = sorted({int(part) for part in str(raw or DEFAULT_MONTHS).split(",")
                     if part.strip().isdigit() and 0 < int(part) <= 24})
    return tuple(months)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_after(actor, person, kind, source_id, on: dt.date | None = None) -> list:
    """The follow-ups at each offset after the event (assigned to the case's caseworker), the
    ones not made before; returns those made now."""
    on = on or local_today(actor)
    done = set(db.session.scalars(sa.select(FollowUp.offset_months).where(
        FollowUp.person_id == person.id, FollowUp.source_kind == kind,
        FollowUp.source_id == str(source_id))))
    made = []
    for months in offsets():
        if months in done:
            continue
        follow_up = FollowUp(person_id=person.id, due_date=add_months(on, months),
                             assigned_to_id=person.caseworker_id,
                             created_by_id=getattr(actor, "id", None) or person.caseworker_id,
                             source_kind=kind, source_id=str(source_id), offset_months=months)
        db.session.add(follow_up)
        made.append(follow_up)
    if made:
        db.session.flush()
        record("people.follow_ups_scheduled", actor=actor, obj=person, kind=kind,
               months=[f.offset_months for f in made])
    return made


# --- the baseline and the trend -------------------------------------------------------------------
def _first_profile(person):
    answers = [a for a in signals.baseline_answers.send(person) if a[1]]
    return answers[0][1] if answers else None


def baseline_of(person):
    """The stored baseline, else one read from the first profile now (not stored), or None."""
    stored = db.session.get(SustainabilityBaseline, person.id)
    if stored is not None:
        return stored
    first = _first_profile(person)
    if first is None:
        return None
    return SustainabilityBaseline(person_id=person.id, profile_version_id=first["version_id"],
                                  **sustainability.baseline_items(first["answers"]))


def ensure_baseline(person):
    """Store the baseline when the first structured visit is recorded (the dashboard reads it)."""
    baseline = baseline_of(person)
    if baseline is not None and baseline not in db.session:
        db.session.add(baseline)
    return baseline


def trend(person) -> dict:
    """The baseline and each structured visit with its scores, oldest first, and the latest."""
    visits = db.session.scalars(sa.select(FollowUp).where(
        FollowUp.person_id == person.id, FollowUp.done_at.is_not(None),
        FollowUp.visit_type.is_not(None)).order_by(FollowUp.visit_date, FollowUp.done_at)).all()
    baseline = baseline_of(person)
    rows = [(visit, sustainability.score(visit)) for visit in visits]
    return {"baseline": sustainability.score(baseline) if baseline is not None else None,
            "visits": rows, "latest": rows[-1] if rows else None}


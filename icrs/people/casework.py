"""Counselling sessions, case notes, follow-ups (the plan itself is icrs.plans)."""
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.people.models import FollowUp, Note, NoteKind

MAX_TEXT = 20000


def _editable(actor, person):
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can add to this case."))


def _text(value, field):
    value = (value or "").strip()
    if not value:
        raise DomainError(_l("This field is required."), field)
    if len(value) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), field)
    return value


def add_note(actor, person, text, kind=NoteKind.NOTE) -> Note:
    _editable(actor, person)
    note = Note(person_id=person.id, kind=NoteKind(kind), author_id=actor.id)
    db.session.add(note)
    note.text = _text(text, "text")
    record("people.note_added", actor=actor, obj=person, kind=note.kind.value)
    db.session.flush()
    return note


def record_counselling(actor, person, notes) -> Note:
    """A counselling session's notes; the plan agreed in it is made in icrs.plans."""
    return add_note(actor, person, notes, NoteKind.COUNSELLING)


def schedule_follow_up(actor, person, due_date, purpose) -> FollowUp:
    _editable(actor, person)
    if due_date is None:
        raise DomainError(_l("Give a due date."), "due_date")
    if due_date < today():
        raise DomainError(_l("The due date cannot be in the past."), "due_date")
    if (due_date - today()).days > 730:
        raise DomainError(_l("The due date must be within two years."), "due_date")
    follow_up = FollowUp(person_id=person.id, due_date=due_date,
                         assigned_to_id=person.caseworker_id, created_by_id=actor.id)
    db.session.add(follow_up)
    follow_up.purpose = (purpose or "").strip()[:120] or None
    record("people.follow_up_scheduled", actor=actor, obj=person, due=due_date.isoformat())
    db.session.flush()
    return follow_up


def complete_follow_up(actor, person, follow_up, outcome):
    _editable(actor, person)
    if follow_up.person_id != person.id:
        raise DomainError(_l("This follow-up belongs to another case."))
    if follow_up.done_at is not None:
        raise DomainError(_l("This follow-up is already done."))
    follow_up.outcome = _text(outcome, "outcome")
    follow_up.done_at = utcnow()
    follow_up.done_by_id = actor.id
    record("people.follow_up_done", actor=actor, obj=person)
    db.session.flush()

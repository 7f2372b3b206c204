"""Merging two cases of the same person: one survives; the other's consents, notes,
follow-ups, stage history and decided approvals move to it (the domains above move their own
rows when told: profiling, referrals, plans), and the merged case becomes a tombstone pointing
at the survivor: its identity is cleared and its data key destroyed, it leaves every list and count,
and its case number finds the survivor. One transaction, audited with both ids."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.approvals.models import ApprovalRequest
from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.signals import dict_from_signal, values_from_signal
from icrs.core.timeutil import utcnow
from icrs.crypto import shred
from icrs.extensions import db
from icrs.people import signals
from icrs.people.models import (
    Consent,
    DuplicateDecision,
    FollowUp,
    Note,
    Person,
    PersonNameKey,
    StageChange,
)
from icrs.people.need_to_know import BreakGlass
from icrs.people.services import IDENTITY_FIELDS

PERMISSION = "people.merge"
MOVED = ((Consent, _l("Consents")), (StageChange, _l("Stage history")), (Note, _l("Notes")),
         (FollowUp, _l("Follow-ups")),
         (ApprovalRequest, _l("Decided approval requests")),
         (BreakGlass, _l("Break-glass uses")))
IDENTITY_LABELS = {"first_name": _l("First name"), "last_name": _l("Last name"),
                   "other_names": _l("Other names or aliases"), "birth_date": _l("Date of birth"),
                   "phone": _l("Phone"), "id_number": _l("ID or DDR card number"),
                   "address": _l("Address or place of residence"),
                   "caregiver_name": _l("Caregiver (for a minor)"),
                   "caregiver_phone": _l("Caregiver's phone")}


@dataclass
class MergePreview:
    survivor: Person
    merged: Person
    moves: dict = field(default_factory=dict)  # label -> rows that move
    dropped: list = field(default_factory=list)  # identity fields of the merged case that differ


def can_merge(user, person) -> bool:
    return user.can(PERMISSION) and person.can_supervise(user) and not person.is_erased \
        and not person.is_merged


def check_merge(actor, survivor, merged):
    if survivor.id == merged.id:
        raise DomainError(_l("A case cannot be merged with itself."), "other")
    if not (actor.can(PERMISSION) and survivor.can_supervise(actor)
            and merged.can_supervise(actor)):
        raise AccessDenied(_l("Only a supervisor of the region of both cases can merge them."))
    if survivor.is_merged or merged.is_merged or survivor.is_erased or merged.is_erased:
        raise DomainError(_l("One of these cases was already merged or erased."), "other")
    pending = db.session.scalar(sa.select(sa.func.count()).select_from(ApprovalRequest).where(
        ApprovalRequest.person_id.in_([survivor.id, merged.id]),
        ApprovalRequest.open_key.is_not(None)))
    if pending:
        raise DomainError(_l("A request about one of these cases is waiting for approval: "
                             "decide or cancel it first."), "other")
    for reason in values_from_signal(signals.merge_conflicts.send(merged, survivor=survivor)):
        raise DomainError(reason, "other")


def preview_merge(actor, survivor, merged) -> MergePreview:
    """What would move; reads only."""
    check_merge(actor, survivor, merged)
    moves = {label: _count(model, merged) for model, label in MOVED}
    moves.update(dict_from_signal(signals.merge_holdings.send(merged)))
    dropped = [IDENTITY_LABELS[n] for n in IDENTITY_FIELDS
               if getattr(merged, n) and getattr(merged, n) != getattr(survivor, n)]
    return MergePreview(survivor, merged, {k: v for k, v in moves.items() if v}, dropped)


def _count(model, person):
    stmt = sa.select(sa.func.count()).select_from(model).where(model.person_id == person.id)
    if model is ApprovalRequest:
        stmt = stmt.where(ApprovalRequest.open_key.is_(None))
    return db.session.scalar(stmt)


def merge_people(actor, survivor, merged) -> MergePreview:
    """Merge `merged` into `survivor`; flushes, the caller commits."""
    preview = preview_merge(actor, survivor, merged)
    for model, _label in MOVED:
        for row in db.session.scalars(sa.select(model).where(model.person_id == merged.id)):
            row.person_id = survivor.id  # the column, so encrypted fields move key at flush
    _move_duplicate_decisions(survivor, merged)
    signals.person_merging.send(merged, survivor=survivor, actor=actor)
    db.session.flush()  # re-encrypts the moved rows under the survivor's key
    _make_tombstone(actor, survivor, merged)
    record("people.merged", actor=actor, obj=survivor, merged=str(merged.id),
           merged_case=merged.case_number, survivor_case=survivor.case_number,
           moved=sum(preview.moves.values()))
    db.session.flush()
    return preview


def _move_duplicate_decisions(survivor, merged):
    for decision in db.session.scalars(sa.select(DuplicateDecision).where(sa.or_(
            DuplicateDecision.person_id == merged.id,
            DuplicateDecision.candidate_id == merged.id))):
        if decision.person_id == merged.id:
            decision.person_id = survivor.id
        if decision.candidate_id == merged.id:
            decision.candidate_id = survivor.id
        if decision.person_id == decision.candidate_id:  # "not the same person": proved wrong
            db.session.delete(decision)


def _make_tombstone(actor, survivor, merged):
    for name in IDENTITY_FIELDS:
        setattr(merged, name, None)
    merged.id_number_bidx = merged.phone_bidx = merged.name_bidx = merged.name_year_bidx = None
    db.session.execute(sa.delete(PersonNameKey).where(PersonNameKey.person_id == merged.id))
    merged.merged_into_id, merged.merged_at = survivor.id, utcnow()
    db.session.flush()
    shred(merged.id, actor)


def merged_case(case_number):
    """The tombstone with this case number, if it was merged (its survivor finds it)."""
    return db.session.scalar(sa.select(Person).where(Person.case_number == case_number,
                                                     Person.merged_into_id.is_not(None)))

"""The disbursement ledger: handovers of an approved entitlement, each with the person's
receipt, and reversing entries. Nothing is edited or deleted: a correction is a new line with
the opposite value pointing at the one it corrects. The running total lives on the entitlement
(checked against the approved amount under a row lock and its version), so the sum of the
ledger can never pass what was approved. Flush, never commit."""
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from icrs.assistance import receipts
from icrs.assistance.models import (
    Entitlement,
    Handover,
    ReceiptCheck,
    SpotCheck,
)
from icrs.assistance.services import _money, _move
from icrs.assistance.states import DISBURSABLE, after_ledger
from icrs.assistance.states import EntitlementStatus as S
from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.models import Site
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db

MAX_TEXT = 500


def can_hand_over(user, entitlement) -> bool:
    """The assigned caseworker records what was handed over, while some remains."""
    return entitlement.person.can_edit(user) and entitlement.status in DISBURSABLE


def can_reverse(user, handover) -> bool:
    return (handover.entitlement.person.can_edit(user) and not handover.is_reversal
            and not is_reversed(handover))


def is_reversed(handover) -> bool:
    return db.session.scalar(sa.select(Handover.id).where(
        Handover.reverses_id == handover.id)) is not None


def entries(entitlement):
    return db.session.scalars(sa.select(Handover).where(
        Handover.entitlement_id == entitlement.id).order_by(Handover.recorded_at)).all()


def _locked(entitlement, version):
    """The entitlement re-read under a row lock (PostgreSQL; SQLite serialises writers), then
    its version compared with the one the form was shown with."""
    fresh = db.session.scalars(sa.select(Entitlement).where(Entitlement.id == entitlement.id)
                               .with_for_update()
                               .execution_options(populate_existing=True)).one()
    if version is not None and str(version) != str(fresh.version):
        raise ConflictError(_l("Someone else recorded a handover in the meantime. Look at "
                               "what remains and try again."), "value")
    return fresh


def _flush(what):
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise ConflictError(_l("Someone else recorded a handover in the meantime. Look at "
                               "what remains and try again."), what) from exc


def _place(actor, site_id, person):
    site = db.session.get(Site, site_id) if site_id else None
    if site is None or not site.active or site.region_id != person.region_id:
        raise DomainError(_l("Choose a site of the person's region from the list."), "site_id")
    return site


def _items(entitlement, given: dict) -> list:
    """The kit items handed over ({item id: quantity}), checked against what the kit holds
    less what earlier lines gave; nothing for other kinds."""
    kind = entitlement.assistance_type
    if not kind.is_kit:
        return []
    already = {}
    for line in entries(entitlement):
        for item in line.items:
            already[item["item"]] = already.get(item["item"], 0) + item["quantity"]
    out = []
    for item in kind.items:
        quantity = given.get(item.id) or 0
        if quantity < 0 or quantity > item.quantity - already.get(item.id, 0):
            raise DomainError(_l("“%(item)s”: at most %(n)s left to hand over.", item=item.name,
                                 n=item.quantity - already.get(item.id, 0)), "items")
        if quantity:
            out.append({"item": item.id, "quantity": quantity})
    if not out:
        raise DomainError(_l("Say which items were handed over."), "items")
    return out


def record_handover(actor, entitlement, data: dict, photo=None, version=None) -> Handover:
    """One handover with its receipt. `data`: handed_on, site_id, value, items ({item id:
    quantity}), receipt_method, witness_name, signature (the data URL drawn on screen);
    `photo`: (file name, bytes) of the signed form."""
    person = entitlement.person
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can record a handover."))
    entitlement = _locked(entitlement, version)
    if entitlement.status not in DISBURSABLE:
        raise DomainError(_l("Only an approved assistance with something left to hand over "
                             "can be handed over."), "value")
    day = data.get("handed_on")
    if day is None or day > today() or day < entitlement.approved_at.date():
        raise DomainError(_l("Give the day of the handover: not in the future, not before "
                             "the approval."), "handed_on")
    site = _place(actor, data.get("site_id"), person)
    value = data.get("value")
    remaining = entitlement.amount - entitlement.disbursed
    if value is None or value <= 0:
        raise DomainError(_l("Give a whole amount above zero."), "value")
    if value > remaining:
        raise DomainError(_l("More than what remains of the approved amount: at most "
                             "%(n)s %(currency)s.", n=_money(remaining),
                             currency=entitlement.currency), "value")
    items = _items(entitlement, data.get("items") or {})
    receipt = receipts.check(data, photo)
    document_id = receipts.store(actor, person, receipt)
    handover = Handover(id=uuid.uuid4(), entitlement_id=entitlement.id, person_id=person.id,
                        handed_on=day, site_id=site.id, value=value, items=items,
                        given_by_id=actor.id, recorded_at=utcnow(),
                        receipt_method=receipt.method, receipt_attachment_id=document_id)
    handover.witness_name = receipt.witness
    db.session.add(handover)
    _add(entitlement, value)
    _flush("value")
    record("assistance.handover_recorded", actor=actor, obj=person, handover=str(handover.id),
           entitlement=str(entitlement.id), value=value, site=site.id, receipt=receipt.method.value)
    return handover


def _add(entitlement, value):
    entitlement.disbursed += value
    settle(entitlement)


def settle(entitlement):
    """Move a granted entitlement to the state its running total (and its spot-checks) say:
    approved, partly disbursed, disbursed, verified (through disbursed, never skipping it)."""
    with db.session.no_autoflush:  # the total and the state are written together
        confirmed = confirmed_by_check(entitlement)
    target = after_ledger(entitlement.status, entitlement.disbursed, entitlement.amount,
                          confirmed)
    if target == entitlement.status:
        return
    if target == S.VERIFIED and entitlement.status != S.DISBURSED:
        _move(entitlement, S.DISBURSED)
    _move(entitlement, target)


def confirmed_by_check(entitlement) -> bool:
    """A spot-check of one of the entitlement's standing handovers confirmed receipt, with no
    discrepancy."""
    reversed_ids = sa.select(Handover.reverses_id).where(
        Handover.entitlement_id == entitlement.id, Handover.reverses_id.is_not(None))
    return db.session.scalar(sa.select(SpotCheck.id).join(
        Handover, Handover.id == SpotCheck.handover_id).where(
        Handover.entitlement_id == entitlement.id, Handover.id.not_in(reversed_ids),
        SpotCheck.receipt == ReceiptCheck.CONFIRMED, SpotCheck.discrepancy.is_(False))
        .limit(1)) is not None


def reverse_handover(actor, handover, reason, version=None) -> Handover:
    """A new line cancelling `handover` (wrong amount, wrong person, recorded twice...)."""
    person = handover.entitlement.person
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can correct the ledger."))
    entitlement = _locked(handover.entitlement, version)
    if handover.is_reversal or is_reversed(handover):
        raise ConflictError(_l("This line is already corrected."), "reason")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_TEXT:
        raise DomainError(_l("Say why this line is corrected (at most %(n)s characters).",
                             n=MAX_TEXT), "reason")
    reversal = Handover(id=uuid.uuid4(), entitlement_id=entitlement.id, person_id=person.id,
                        handed_on=today(), site_id=handover.site_id, value=-handover.value,
                        items=[{"item": i["item"], "quantity": -i["quantity"]}
                               for i in handover.items],
                        given_by_id=actor.id, recorded_at=utcnow(), reverses_id=handover.id)
    reversal.note = reason
    db.session.add(reversal)
    _add(entitlement, -handover.value)
    _flush("reason")
    record("assistance.handover_reversed", actor=actor, obj=person, handover=str(reversal.id),
           reverses=str(handover.id), entitlement=str(entitlement.id), value=-handover.value)
    return reversal

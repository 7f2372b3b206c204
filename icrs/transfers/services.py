"""Request, accept, reject, withdraw a transfer. Flush, never commit: the view commits once, so
an acceptance moves the case (site, region, caseworker, and by the referrals' flush hook the
copies on its referrals) in one transaction with the request's new state and its audit."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, ConflictError, DomainError, IllegalTransition
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people.models import ConsentPurpose
from icrs.people.services.consent import has_consent
from icrs.transfers import notify, rules
from icrs.transfers.models import CaseTransfer
from icrs.transfers.states import RECEIVER, SENDER, TransferStatus, check

MAX_TEXT = 2000
S = TransferStatus
BUSY = _l("A transfer of this case is already waiting for the receiving site.")
RACED = _l("Someone else decided this transfer in the meantime.")


def _text(value, field, required):
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_l("Say why."), field)
    if len(value) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), field)
    return value or None


def open_transfer(person):
    return db.session.scalar(sa.select(CaseTransfer).where(
        CaseTransfer.open_person_id == person.id))


def request_transfer(actor, person, to_site, reason) -> CaseTransfer:
    if not rules.may_request(actor, person):
        raise AccessDenied(_l("You may not transfer this case."))
    if to_site is None or to_site not in rules.destinations(actor, person):
        raise DomainError(_l("Choose a site this case may be transferred to."), "to_site_id")
    reason = _text(reason, "reason", required=True)
    if open_transfer(person) is not None:
        raise ConflictError(BUSY, "reason")
    transfer = CaseTransfer(
        person_id=person.id, from_site_id=person.site_id, from_region_id=person.region_id,
        to_site_id=to_site.id, to_region_id=to_site.region_id, requested_by_id=actor.id,
        requested_at=utcnow(), open_person_id=person.id,
        previous_caseworker_id=person.caseworker_id)
    db.session.add(transfer)
    transfer.reason = reason
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # someone asked at the same moment
        raise ConflictError(BUSY, "reason") from exc
    record("transfers.requested", actor=actor, obj=transfer, person_id=str(person.id),
           from_site=transfer.from_site_id, to_site=transfer.to_site_id)
    notify.requested(transfer, actor)
    return transfer


def accept(actor, transfer, caseworker, comment=None, version=None) -> CaseTransfer:
    """The case moves: its site and region, its caseworker (chosen by the receiving side); its
    history, consents, profile, referrals and documents hang on the person and follow."""
    _move(actor, transfer, S.ACCEPTED, RECEIVER, version)
    person = transfer.person
    if caseworker is None or caseworker.role != Role.CASEWORKER or not caseworker.active \
            or caseworker.site_id != transfer.to_site_id:
        raise DomainError(_l("Choose an active caseworker of the receiving site."),
                          "caseworker_id")
    if person.is_erased or person.is_merged or person.site_id != transfer.from_site_id:
        raise ConflictError(_l("This case has changed since the request: it cannot move."))
    if not has_consent(person, ConsentPurpose.REGISTRATION):
        raise DomainError(_l("The person's consent to registration and case management is "
                             "withdrawn: record a new consent before the case can move."))
    _close(transfer, S.ACCEPTED, actor, _text(comment, "comment", required=False))
    transfer.new_caseworker_id = caseworker.id
    person.site_id, person.region_id = transfer.to_site_id, transfer.to_region_id
    person.caseworker_id = caseworker.id
    _flush()
    record("transfers.accepted", actor=actor, obj=transfer, person_id=str(person.id),
           from_site=transfer.from_site_id, to_site=transfer.to_site_id,
           new_caseworker=caseworker.id)
    notify.decided(transfer, caseworker)
    return transfer


def reject(actor, transfer, comment, version=None) -> CaseTransfer:
    _move(actor, transfer, S.REJECTED, RECEIVER, version)
    _close(transfer, S.REJECTED, actor, _text(comment, "comment", required=True))
    _flush()
    record("transfers.rejected", actor=actor, obj=transfer, person_id=str(transfer.person_id))
    notify.decided(transfer)
    return transfer


def withdraw(actor, transfer, version=None) -> CaseTransfer:
    _move(actor, transfer, S.WITHDRAWN, SENDER, version)
    _close(transfer, S.WITHDRAWN, actor, None)
    _flush()
    record("transfers.withdrawn", actor=actor, obj=transfer, person_id=str(transfer.person_id))
    return transfer


def _move(actor, transfer, target, side, version):
    """The state table decides, given the side the actor is on: a closed transfer is a
    conflict (409); an open one moved by the wrong side is refused (403)."""
    if version is not None and str(version) != str(transfer.version):
        raise ConflictError(RACED)
    on_side = rules.may_decide(actor, transfer) if side == RECEIVER \
        else rules.is_sender(actor, transfer)
    try:
        check(transfer.status, target, side if on_side else _other(side))
    except IllegalTransition as exc:
        if transfer.is_open:
            raise AccessDenied(exc.message) from exc
        raise ConflictError(exc.message) from exc


def _other(side):
    return SENDER if side == RECEIVER else RECEIVER


def _close(transfer, status, actor, comment):
    transfer.status, transfer.decided_by_id, transfer.decided_at = status, actor.id, utcnow()
    transfer.open_person_id = None
    if comment:
        transfer.comment = comment


def _flush():
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise ConflictError(RACED) from exc

"""Erasure and merge cover the assistance: open proposals end with their request, the ledger's
amounts stay anonymous with its encrypted fields shredded; a merge moves entitlements and
ledger lines to the surviving case, re-encrypted under its key."""
import sqlalchemy as sa

from icrs.approvals.models import ApprovalRequest
from icrs.approvals.states import ApprovalStatus
from icrs.assistance import ledger, services
from icrs.assistance.models import Entitlement, Handover
from icrs.assistance.states import EntitlementStatus as S
from icrs.core.timeutil import today
from icrs.crypto import ERASED
from icrs.people import merge
from icrs.people.erasure import erase_person


def _hand_over(db, worker, entitlement, value=40000):
    line = ledger.record_handover(worker, entitlement, {
        "handed_on": today(), "site_id": entitlement.person.site_id, "value": value,
        "receipt_method": "thumbprint", "witness_name": "Kaltoumi Ali"})
    db.session.commit()
    return line


def test_erasure_cancels_open_proposals_and_shreds_the_ledger_text(
        db, admin, worker, supervisor, person, grant, make_type, propose, approve):
    granted = approve(propose(person, grant, 100000), supervisor)
    _hand_over(db, worker, granted)
    waiting = propose(person, make_type(), 20000)
    erase_person(admin, person)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Entitlement, waiting.id).status == S.CANCELLED
    assert db.session.scalar(sa.select(ApprovalRequest.status).where(
        ApprovalRequest.subject_id == str(waiting.id))) == ApprovalStatus.CANCELLED
    kept = db.session.get(Entitlement, granted.id)
    assert kept.status == S.PARTLY_DISBURSED and kept.disbursed == 40000
    assert kept.justification is ERASED
    assert db.session.scalar(sa.select(Handover)).witness_name is ERASED


def test_merge_moves_entitlements_and_ledger(db, worker, supervisor, register, grant, propose,
                                             approve):
    survivor, merged = register(), register()
    granted = approve(propose(merged, grant, 100000), supervisor)
    _hand_over(db, worker, granted)
    holdings = merge.preview_merge(supervisor, survivor, merged).moves
    assert 1 in holdings.values()
    merge.merge_people(supervisor, survivor, merged)
    db.session.commit()
    db.session.expire_all()
    moved = db.session.get(Entitlement, granted.id)
    assert moved.person_id == survivor.id
    assert moved.justification == "Needs tools to restart his trade."
    line = db.session.scalar(sa.select(Handover))
    assert line.person_id == survivor.id and line.witness_name == "Kaltoumi Ali"
    assert services.committed_amount(grant.id, {survivor.id}) == 100000

"""The demo shows the protection work in each state: attachments (ordinary and restricted),
break-glass uses (open and expired, listed for the supervisor), a merged duplicate and an
imported caseload with its saved mapping; a second load adds nothing."""
import pytest
import sqlalchemy as sa

from icrs.auth.models import User
from icrs.documents.models import Attachment, AttachmentKind
from icrs.people.models import ImportTemplate, Person
from icrs.people.need_to_know import BreakGlass
from icrs.people.services.break_glass import region_uses


@pytest.fixture
def demo(app, db, monkeypatch):
    import icrs.demo.people
    from icrs.demo import load_demo

    monkeypatch.setattr(icrs.demo.people, "COUNT", 90)
    summary = load_demo(app.config["ICRS_DEMO_PASSWORD"])
    return summary


def test_demo_protection_part(demo, db):
    kinds = set(db.session.scalars(sa.select(Attachment.kind)))
    assert {AttachmentKind.CONSENT_FORM, AttachmentKind.RESTRICTED} <= kinds
    grants = db.session.scalars(sa.select(BreakGlass)).all()
    assert sorted(g.active for g in grants) == [False, True]
    colleague = db.session.scalar(sa.select(User).where(User.username == "caseworker.meri2"))
    assert {g.user_id for g in grants} == {colleague.id}
    assert all(g.person.caseworker_id != colleague.id for g in grants)
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    assert len(db.session.scalars(region_uses(supervisor)).all()) == 2
    tombstone = db.session.scalar(sa.select(Person).where(Person.merged_into_id.is_not(None)))
    assert tombstone is not None and tombstone.merged_into.site.code == "MER"
    imported = db.session.scalars(sa.select(Person).join(Person.site).where(
        Person.site.has(code="MOK"), Person.registered_by_id == supervisor.id)).all()
    assert len(imported) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportTemplate)) == 1


def test_second_load_adds_nothing(demo, app, db):
    from icrs.demo import load_demo

    before = db.session.scalar(sa.select(sa.func.count()).select_from(Attachment))
    summary = load_demo(app.config["ICRS_DEMO_PASSWORD"])
    assert "Protection: demo attachments already present." in summary
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == before


def test_demo_children_assistance_and_approvals(demo, db):
    from icrs.approvals.models import ApprovalRequest
    from icrs.assistance.models import AssistanceType, Entitlement, Handover
    from icrs.households.models import Household, HouseholdMember
    from icrs.people.best_interest import BestInterestAssessment

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Household)) >= 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HouseholdMember).where(
        HouseholdMember.left_at.is_not(None))) >= 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BestInterestAssessment))
    statuses = {r.status.value for r in db.session.scalars(sa.select(ApprovalRequest))}
    assert {"requested", "approved", "rejected"} <= statuses
    kinds = {r.kind for r in db.session.scalars(sa.select(ApprovalRequest))}
    assert {"person.best_interest", "assistance.entitlement", "person.reintegration"} <= kinds
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AssistanceType)) == 3
    assert len({e.status for e in db.session.scalars(sa.select(Entitlement))}) >= 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover).where(
        Handover.reverses_id.is_not(None))) >= 1


def test_demo_assistance_verification(demo, db):
    """A partly disbursed and a verified entitlement, spot-checks waiting and a discrepancy."""
    from icrs.assistance.models import Entitlement, SpotCheck
    from icrs.assistance.states import EntitlementStatus as S

    statuses = {e.status for e in db.session.scalars(sa.select(Entitlement))}
    assert {S.PARTLY_DISBURSED, S.VERIFIED, S.DISBURSED} <= statuses
    checks = db.session.scalars(sa.select(SpotCheck)).all()
    assert any(c.done_at is None for c in checks)
    assert any(c.discrepancy for c in checks)
    assert all(c.assigned_to_id != c.handover.given_by_id for c in checks)


def test_demo_receipt_signed_on_screen(demo, db):
    from icrs.assistance.models import Handover, ReceiptMethod
    from icrs.documents.models import Attachment, AttachmentKind

    signed = db.session.scalars(sa.select(Handover).where(
        Handover.receipt_method == ReceiptMethod.SCREEN_SIGNATURE)).all()
    assert signed and all(h.receipt_attachment_id for h in signed)
    kinds = {db.session.get(Attachment, h.receipt_attachment_id).kind for h in signed}
    assert kinds == {AttachmentKind.SIGNATURE}

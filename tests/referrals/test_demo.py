"""Demo referrals: every status, some overdue, both provider logins served, idempotent."""
import pytest
import sqlalchemy as sa

from icrs.demo import DemoContext
from icrs.referrals.deadlines import overdue_clause
from icrs.referrals.models import Referral
from icrs.referrals.packet import packet_visible
from icrs.referrals.states import ReferralStatus

people = pytest.importorskip("icrs.demo.people")


def _load(ctx):
    from icrs.demo import accounts, directory, places, referrals
    for part in (places, accounts, directory, people, referrals):
        part.load(ctx)


def test_demo_referrals(db):
    from icrs.demo.accounts import PROVIDER_ORGS
    from icrs.directory.models import Organisation

    _load(DemoContext(password="demo-password-1"))
    db.session.commit()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Referral))
    statuses = set(db.session.scalars(sa.select(Referral.status).distinct()))
    assert statuses == set(ReferralStatus)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral).where(
        overdue_clause())) > 0
    for name, _kind, _regions in PROVIDER_ORGS:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral).where(
            Referral.organisation_id == org.id, Referral.status != "draft")) > 3
    sent = db.session.scalars(sa.select(Referral).where(Referral.status == "sent")).all()
    # a GBV packet may carry a survivor code instead of the case number
    assert all(packet_visible(r) and (r.packet.get("case_number") or r.packet.get("survivor_code"))
               for r in sent)
    assert any("survivor_code" in r.packet for r in sent)
    ctx = DemoContext(password="demo-password-1")
    _load(ctx)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == total
    assert any("already present" in line for line in ctx.summary if "Referrals" in line)

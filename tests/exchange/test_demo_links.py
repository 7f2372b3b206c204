"""Demo provider links: an active link, one answered through its link, one recorded on behalf;
idempotent."""
import pytest
import sqlalchemy as sa

from icrs.demo import DemoContext
from icrs.exchange import links
from icrs.exchange.link_models import ProviderAnswer, ReferralLink

people = pytest.importorskip("icrs.demo.people")


def test_demo_links(db):
    from icrs.demo import accounts, directory, places, referrals
    from icrs.demo import links as demo_links

    ctx = DemoContext(password="demo-password-1")
    for part in (places, accounts, directory, people, referrals, demo_links):
        part.load(ctx)
    db.session.commit()
    states = [links.state_of(link) for link in db.session.scalars(sa.select(ReferralLink))]
    assert states.count("active") == 2
    channels = sorted(db.session.scalars(sa.select(ProviderAnswer.channel)))
    assert channels == ["link", "phone"]
    demo_links.load(ctx)
    assert "Provider links: demo links already present." in ctx.summary

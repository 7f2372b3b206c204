"""The SMS webhook and the provider links together: a provider without an account answers a real
referral by texting the short code printed on its slip (no stand-in for icrs.exchange.links)."""
import sqlalchemy as sa

from icrs.exchange.link_models import ProviderAnswer
from icrs.referrals.states import ReferralStatus as S
from tests.exchange.test_links import _fresh, _make_link, no_account, referral  # noqa: F401
from tests.exchange.test_sms import rapidpro  # noqa: F401


def test_a_provider_accepts_and_completes_by_sms(app, client, world, referral, rapidpro, db):  # noqa: F811
    _token, code, _ = _make_link(app, world, referral)
    accepted = rapidpro(client, f"{code.lower()} accepter")
    assert accepted.status_code == 200 and _fresh(referral).status == S.ACCEPTED
    done = rapidpro(client, f"{code} DONE", urn="tel:+237699000003")
    assert done.status_code == 200 and _fresh(referral).status == S.COMPLETED
    reply = done.get_json()["reply"]
    assert referral.person.case_number not in reply
    channels = db.session.scalars(sa.select(ProviderAnswer.channel)
                                  .where(ProviderAnswer.referral_id == referral.id)).all()
    assert [getattr(c, "value", c) for c in channels] == ["sms", "sms"]


def test_a_resent_reply_changes_nothing(app, client, world, referral, rapidpro):  # noqa: F811
    _token, code, _ = _make_link(app, world, referral)
    assert rapidpro(client, f"{code} OK").status_code == 200
    again = rapidpro(client, f"{code} OK", urn="tel:+237699000004")
    assert again.status_code == 200 and _fresh(referral).status == S.ACCEPTED
    assert "current state" in again.get_json()["reply"]

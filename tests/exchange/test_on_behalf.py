"""Recording the provider's answer on their behalf (phone, paper, in person)."""
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.exchange.link_models import ProviderAnswer
from icrs.extensions import db as _db
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus
from tests.conftest import signed_in

S = ReferralStatus


def _data(referral, **extra):
    return {"ob-version": referral.version, "ob-action": "accept", "ob-channel": "phone",
            "ob-received_from": "Mme Aissatou Bello", **extra}


def test_caseworker_records_an_answer_by_phone(app, world, sent):
    referral = sent()
    client = signed_in(app, world.caseworker)
    response = client.post(f"/referrals/{referral.id}/provider-answer", data=_data(referral))
    assert response.status_code == 302
    assert "Aissatou" not in response.headers["Location"]
    _db.session.expire_all()
    assert _db.session.get(Referral, referral.id).status == S.ACCEPTED
    answer = _db.session.scalar(sa.select(ProviderAnswer))
    assert answer.channel == "phone" and answer.recorded_by_id == world.caseworker.id
    assert answer.received_from == "Mme Aissatou Bello"
    assert b"Aissatou" not in answer.received_from_ct
    entry = _db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "referrals.status_changed")).all()[-1]
    assert entry.actor_id == world.caseworker.id
    assert '"on_behalf":true' in entry.details and "Aissatou" not in entry.details
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "received from Mme Aissatou Bello" in page


def test_provider_and_monitoring_may_not_record(app, world, sent, make):
    referral = sent()
    for user in (world.provider, make.user("monitoring", locale="en")):
        _db.session.commit()
        client = signed_in(app, user)
        assert client.post(f"/referrals/{referral.id}/provider-answer",
                           data=_data(referral)).status_code in (403, 404)
    _db.session.expire_all()
    assert _db.session.get(Referral, referral.id).status == S.SENT


def test_bad_input_writes_nothing(app, world, sent):
    referral = sent()
    client = signed_in(app, world.caseworker)
    no_name = client.post(f"/referrals/{referral.id}/provider-answer",
                          data=_data(referral, **{"ob-received_from": ""}))
    assert no_name.status_code == 400
    no_reason = client.post(f"/referrals/{referral.id}/provider-answer",
                            data=_data(referral, **{"ob-action": "decline"}))
    assert no_reason.status_code == 400
    assert "Say why the referral is declined." in no_reason.get_data(as_text=True)
    illegal = client.post(f"/referrals/{referral.id}/provider-answer",
                          data=_data(referral, **{"ob-action": "complete"}))
    assert illegal.status_code == 409
    _db.session.expire_all()
    assert _db.session.get(Referral, referral.id).status == S.SENT
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(ProviderAnswer)) == 0

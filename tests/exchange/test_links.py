"""One-time provider links: the journey of a provider without an account, and the refusals."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.timeutil import utcnow
from icrs.exchange import links
from icrs.exchange.link_models import ProviderAnswer, ReferralLink
from icrs.extensions import db as _db
from icrs.referrals.models import Referral
from icrs.referrals.states import IllegalTransition, ReferralStatus
from tests.conftest import signed_in
from tests.referrals.conftest import make_service

S = ReferralStatus
URL = re.compile(r"http://localhost/p/([A-Za-z0-9_-]{30,})")
CODE = re.compile(r'class="slip-code"><strong>([A-Z0-9]{4}-[A-Z0-9]{4})<')


@pytest.fixture
def no_account(world, make, db):
    """An organisation none of whose staff has an account, and its service."""
    org = make.organisation("Coopérative agricole de Mora", regions=[world.en])
    service = make_service(org, "Market gardening", regions=[world.en])
    db.session.commit()
    return service


@pytest.fixture
def referral(sent, no_account):
    return sent(service=no_account)


def _make_link(app, world, referral):
    client = signed_in(app, world.caseworker)
    response = client.post(f"/referrals/{referral.id}/links")
    assert response.status_code == 200, response.get_data(as_text=True)[:800]
    html = response.get_data(as_text=True)
    return URL.search(html).group(1), CODE.search(html).group(1), html


def _step(client, url):
    html = client.get(url).get_data(as_text=True)
    return int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))


def _fresh(referral):
    _db.session.expire_all()
    return _db.session.get(Referral, referral.id)


def test_the_whole_journey(app, client, world, referral):
    token, code, slip = _make_link(app, world, referral)
    assert "<svg" in slip and code in slip
    link = _db.session.scalar(sa.select(ReferralLink))
    assert link.token_hash == links.token_hash(token) and token not in link.token_hash
    assert link.code_hash != code

    page = client.get(f"/p/{token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    assert "Hadidja" in html and "Zoubairou" not in html  # the packet only
    assert referral.person.phone not in html
    step = _step(client, f"/p/{token}")
    assert client.post(f"/p/{token}/answer", data={"action": "accept", "step": step}) \
        .status_code == 302
    assert _fresh(referral).status == S.ACCEPTED
    step = _step(client, f"/p/{token}")
    done = client.post(f"/p/{token}/answer", data={"action": "complete", "step": step,
                                                   "outcome": "served", "note": "Finished"})
    assert done.status_code == 302
    finished = _fresh(referral)
    assert finished.status == S.COMPLETED and finished.outcome.value == "served"
    assert client.get(f"/p/{token}").status_code == 404  # the referral ended: the link too

    entries = _db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "referrals.status_changed")).all()
    assert all(e.actor_id is None and str(link.id) in e.details for e in entries[-2:])
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(ProviderAnswer)) == 2

    caseworker = signed_in(app, world.caseworker)
    page = caseworker.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Provider link" in page and "Acknowledge the outcome" in page
    assert caseworker.post(f"/referrals/{referral.id}/acknowledge",
                           data={"ack-version": finished.version}).status_code == 302


def test_short_code_page(app, client, world, referral):
    _token, code, _ = _make_link(app, world, referral)
    assert client.get("/p").status_code == 200
    response = client.post("/p", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/p/code")
    html = client.get("/p/code").get_data(as_text=True)
    step = int(re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1))
    assert client.post("/p/code/answer", data={"action": "decline", "step": step,
                                               "reason": "no_capacity"}).status_code == 302
    assert _fresh(referral).status == S.DECLINED


def test_wrong_code_is_refused_then_rate_limited(app, client, world, referral):
    _make_link(app, world, referral)
    app.config["ICRS_PROVIDER_CODE_RATE_LIMIT"] = "3 per hour"
    try:
        answers = [client.post("/p", data={"code": "AAAA-AAAA"}).status_code for _ in range(4)]
    finally:
        app.config["ICRS_PROVIDER_CODE_RATE_LIMIT"] = "10 per 15 minutes"
    assert answers == [404, 404, 404, 429]


def test_replayed_post_does_nothing(app, client, world, referral):
    token, _code, _ = _make_link(app, world, referral)
    step = _step(client, f"/p/{token}")
    data = {"action": "accept", "step": step}
    assert client.post(f"/p/{token}/answer", data=data).status_code == 302
    version = _fresh(referral).version
    assert client.post(f"/p/{token}/answer", data=data).status_code == 409  # the same again
    # an old page's form, for a move that is legal now: its step was used
    stale = client.post(f"/p/{token}/answer", data={"action": "start", "step": step})
    assert stale.status_code == 409
    assert _fresh(referral).version == version
    assert _fresh(referral).status == S.ACCEPTED


def test_expired_link(app, client, world, referral):
    token, _code, _ = _make_link(app, world, referral)
    link = _db.session.scalar(sa.select(ReferralLink))
    link.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    assert client.get(f"/p/{token}").status_code == 404
    assert client.post(f"/p/{token}/answer", data={"action": "accept", "step": 0}) \
        .status_code == 404
    assert _fresh(referral).status == S.SENT


def test_revoked_link(app, client, world, referral):
    token, _code, _ = _make_link(app, world, referral)
    link = _db.session.scalar(sa.select(ReferralLink))
    supervisor = signed_in(app, world.supervisor)
    assert supervisor.post(f"/referrals/{referral.id}/links/{link.id}/revoke") \
        .status_code == 302
    assert client.get(f"/p/{token}").status_code == 404
    assert _fresh(referral).status == S.SENT


def test_new_link_replaces_the_old_one(app, client, world, referral):
    old, _code, _ = _make_link(app, world, referral)
    new, _code, _ = _make_link(app, world, referral)
    assert client.get(f"/p/{old}").status_code == 404
    assert client.get(f"/p/{new}").status_code == 200


def test_link_after_the_referral_ended(app, client, world, referral):
    token, code, _ = _make_link(app, world, referral)
    caseworker = signed_in(app, world.caseworker)
    assert caseworker.post(f"/referrals/{referral.id}/withdraw",
                           data={"wd-version": _fresh(referral).version}).status_code == 302
    assert client.get(f"/p/{token}").status_code == 404
    _db.session.expire_all()
    with pytest.raises(links.LinkInvalid):
        links.answer_by_short_code(code, "accept")


def test_a_link_opens_its_own_referral_only(app, client, world, referral, sent, no_account):
    token, _code, _ = _make_link(app, world, referral)
    other = sent(service=no_account)
    # the token is the only key: there is no referral id to change in the URL
    assert client.get(f"/p/{token}").status_code == 200
    assert other.reference not in client.get(f"/p/{token}").get_data(as_text=True)
    assert client.get(f"/p/{token[:-2]}xx").status_code == 404


def test_decline_without_reason_writes_nothing(app, client, world, referral):
    token, _code, _ = _make_link(app, world, referral)
    step = _step(client, f"/p/{token}")
    response = client.post(f"/p/{token}/answer", data={"action": "decline", "step": step})
    assert response.status_code == 400
    assert "Dites pourquoi l’orientation est refusée." in response.get_data(as_text=True)
    assert _fresh(referral).status == S.SENT
    assert _step(client, f"/p/{token}") == step


def test_sms_answers_by_short_code(app, world, referral):
    _token, code, _ = _make_link(app, world, referral)
    answered = links.answer_by_short_code(code, "accept")
    assert answered.status == S.ACCEPTED
    _db.session.commit()
    with pytest.raises(IllegalTransition):
        links.answer_by_short_code(code, "accept")
    _db.session.rollback()
    with pytest.raises(links.LinkInvalid):
        links.answer_by_short_code("ZZZZ-ZZZZ", "accept")
    finished = links.answer_by_short_code(code, "not_complete", reason="unreachable phone off")
    assert finished.status == S.NOT_COMPLETED and finished.outcome.value == "unreachable"
    entry = _db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq.desc())
                                .where(AuditEntry.action == "referrals.status_changed")).first()
    assert '"channel":"sms"' in entry.details


def test_outside_the_scope_no_link_no_slip(app, world, referral, make, db):
    other = make.user("caseworker", site=world.bam, locale="en")
    db.session.commit()
    colleague_elsewhere = signed_in(app, other)
    assert colleague_elsewhere.post(f"/referrals/{referral.id}/links").status_code in (403, 404)
    assert colleague_elsewhere.get(f"/referrals/{referral.id}/slip").status_code in (403, 404)
    provider = signed_in(app, world.provider)
    assert provider.get(f"/referrals/{referral.id}/slip").status_code in (403, 404)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(ReferralLink)) == 0

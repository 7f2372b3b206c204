"""SMS: the gateway adapters against a local server that speaks their APIs, the outbox sent
after the commit (and never undoing the referral), no personal data in any text, the daily
reminder, and the providers' replies through the webhook."""
import sys
import types
from datetime import timedelta

import pytest
import sqlalchemy as sa

from icrs.core.errors import IllegalTransition
from icrs.core.timeutil import utcnow
from icrs.directory.details import Phone
from icrs.exchange import sms
from icrs.exchange.sms import SmsOutbox
from icrs.exchange.sms_gateways import (
    NoGateway,
    RapidProGateway,
    SmsError,
    TwilioGateway,
    gateway_from_config,
)
from icrs.exchange.sms_inbound import parse_reply, twilio_signature
from icrs.referrals import deadlines
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus as S
from tests.exchange.sms_server import API_TOKEN, SENDER, SID, TOKEN, sms_server
from tests.referrals.conftest import english, person, sent, switch_to, world

FIXTURES = (english, person, sent, switch_to, world)  # the referral tests' world, used here

PROVIDER_NUMBER = "+237699000001"


@pytest.fixture
def gateway(app, monkeypatch):
    """A Twilio-speaking gateway on loopback, configured."""
    with sms_server() as (recorder, base):
        for key, value in {"ICRS_SMS_GATEWAY": "twilio", "ICRS_SMS_BASE_URL": base,
                           "ICRS_SMS_ACCOUNT_SID": SID, "ICRS_SMS_AUTH_TOKEN": TOKEN,
                           "ICRS_SMS_FROM": SENDER, "ICRS_SMS_TIMEOUT": 2}.items():
            monkeypatch.setitem(app.config, key, value)
        yield recorder


@pytest.fixture
def phone(world, db):
    world.service.phones.append(Phone(number="6 99 00 00 01", type="sms"))
    db.session.commit()
    return PROVIDER_NUMBER


def outbox(db):
    db.session.expire_all()
    return db.session.scalars(sa.select(SmsOutbox).order_by(SmsOutbox.id)).all()


def personal_values(person):
    return [person.first_name, person.last_name, person.case_number, "Maroua", "1996",
            "female", "Hadidja", "Zoubairou"]


# --- adapters -------------------------------------------------------------------------------------
def test_twilio_adapter_posts_the_messages_api():
    with sms_server() as (recorder, base):
        message_id = TwilioGateway(base, SID, TOKEN, SENDER).send("+237699000001", "Bonjour")
    [request] = recorder.requests
    assert request["status"] == 201 and message_id.startswith("SM")
    assert request["fields"] == {"To": "+237699000001", "From": SENDER, "Body": "Bonjour"}


def test_rapidpro_adapter_posts_a_broadcast():
    with sms_server() as (recorder, base):
        message_id = RapidProGateway(base, API_TOKEN).send("+237699000001", "Bonjour")
    [request] = recorder.requests
    assert request["status"] == 201 and message_id == "1"
    assert request["headers"]["Authorization"] == f"Token {API_TOKEN}"
    assert request["fields"] == {"urns": ["tel:+237699000001"], "text": "Bonjour"}


@pytest.mark.parametrize("make_gateway, error", [
    (lambda base: TwilioGateway(base, SID, "wrong", SENDER), "HTTP 401"),
    (lambda base: RapidProGateway(base, "wrong"), "HTTP 403"),
    (lambda base: TwilioGateway(base, SID, TOKEN, None), "ICRS_SMS_FROM"),
    (lambda base: TwilioGateway(base.replace("127.0.0.1", "example.org"), SID, TOKEN, SENDER),
     "must be https"),
])
def test_adapters_raise_one_error_type_without_the_text(make_gateway, error):
    with sms_server() as (_recorder, base):
        with pytest.raises(SmsError) as caught:
            make_gateway(base).send("+237699000001", "Secret text")
    assert error in str(caught.value) and "Secret" not in str(caught.value)
    assert "+237699000001" not in str(caught.value) and TOKEN not in str(caught.value)


def test_server_errors_and_timeouts_are_sms_errors():
    with sms_server() as (recorder, base):
        recorder.fail_with = 500
        with pytest.raises(SmsError, match="HTTP 500"):
            RapidProGateway(base, API_TOKEN).send("+237699000001", "x")
        recorder.fail_with, recorder.delay = None, 1.5
        with pytest.raises(SmsError):
            TwilioGateway(base, SID, TOKEN, SENDER, timeout=0.3).send("+237699000001", "x")


def test_gateway_is_chosen_by_configuration():
    assert isinstance(gateway_from_config({}), NoGateway)
    assert isinstance(gateway_from_config({"ICRS_SMS_GATEWAY": "TextIt?"}), NoGateway)
    assert isinstance(gateway_from_config({"ICRS_SMS_GATEWAY": "rapidpro"}), RapidProGateway)
    assert gateway_from_config({"ICRS_SMS_GATEWAY": "twilio"}).base_url == \
        "https://api.twilio.com"


@pytest.mark.parametrize("number, expected", [
    ("6 99 00 00 01", "+237699000001"), ("00237 699-00-00-01", "+237699000001"),
    ("+237 222 00 11 22", "+237222001122"), ("12", None), ("", None)])
def test_numbers_are_normalised(number, expected):
    assert sms.normalise_number(number) == expected


def test_sms_number_prefers_sms_phones_then_cameroonian_mobiles(app):
    assert sms.sms_number([Phone(number="222 00 11 22", type="voice"),
                           Phone(number="677 00 11 22", type="voice")]) == "+237677001122"
    assert sms.sms_number([Phone(number="677 00 11 22", type="voice"),
                           Phone(number="+33 6 12 34 56 78", type="sms")]) == "+33612345678"
    assert sms.sms_number([Phone(number="222 00 11 22", type="voice"),
                           Phone(number="699 00 11 22", type="fax")]) is None


# --- outbound -------------------------------------------------------------------------------------
def test_sending_a_referral_texts_the_service_after_the_commit(client, switch_to, world, person,
                                                              phone, gateway, db):
    draft = _draft(world, person, db)
    switch_to(world.caseworker)
    response = client.post(f"/referrals/{draft.id}/send", data={"send-version": draft.version})
    assert response.status_code == 302
    [request] = gateway.requests
    text = request["fields"]["Body"]
    assert request["fields"]["To"] == phone
    assert draft.reference in text and "Tailoring apprenticeship" in text
    assert text.index("nouvelle orientation") < text.index("new referral")
    for value in personal_values(person):
        assert value not in text
    [row] = outbox(db)
    assert row.sent_at is not None and row.gateway_id.startswith("SM") and row.attempts == 1


def test_a_failing_gateway_does_not_undo_the_referral(client, switch_to, world, person, phone,
                                                      gateway, db):
    gateway.fail_with = 503
    draft = _draft(world, person, db)
    switch_to(world.caseworker)
    response = client.post(f"/referrals/{draft.id}/send", data={"send-version": draft.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, draft.id).status == S.SENT
    [row] = outbox(db)
    assert row.sent_at is None and row.attempts == 1 and row.last_error == "HTTP 503"
    gateway.fail_with = None
    with client.application.app_context():
        assert sms.deliver_sms_outbox() == 1  # the next `flask icrs remind`
    assert outbox(db)[0].sent_at is not None


def test_a_refused_send_queues_nothing(client, switch_to, world, person, phone, gateway, db):
    draft = _draft(world, person, db)
    switch_to(world.caseworker)
    response = client.post(f"/referrals/{draft.id}/send", data={"send-version": draft.version + 7})
    assert response.status_code == 409
    assert gateway.requests == [] and outbox(db) == []


def test_without_a_gateway_nothing_leaves(client, switch_to, world, person, phone, db, caplog):
    draft = _draft(world, person, db)
    switch_to(world.caseworker)
    with sms_server() as (recorder, _base):
        client.post(f"/referrals/{draft.id}/send", data={"send-version": draft.version})
    assert recorder.requests == []
    [row] = outbox(db)
    assert row.sent_at is None and row.attempts == 0  # kept for when a gateway is set up
    assert phone not in caplog.text and person.first_name not in caplog.text


def test_without_an_sms_number_nothing_is_queued(sent, gateway, db):
    sent()
    assert outbox(db) == [] and gateway.requests == []


def test_sensitive_services_are_not_named(world, person, db):
    referral = types.SimpleNamespace(reference="AB12CD34", service=world.service)
    assert "Tailoring" in sms.new_referral_text(referral)
    from icrs.directory.taxonomy import category_by_code
    world.service.category = category_by_code("gbv")
    text = sms.new_referral_text(referral)
    assert "AB12CD34" in text and "Tailoring" not in text


def test_texts_use_plain_spaces_and_quotes(world, db):
    text = sms.bilingual(sms.OVERDUE, n=2)
    assert "\u202f" not in text and "\u00a0" not in text and "\u2019" not in text
    assert text.startswith("ICRS") and " / ICRS: 2 referrals" in text


def test_overdue_reminder_once_a_day_per_organisation(app, world, sent, phone, gateway, db):
    world.org.phones.append(Phone(number="+237 6 70 00 00 09", type="voice"))
    late, other_late = sent(), sent()
    for referral in (late, other_late):
        referral.accept_by = utcnow() - timedelta(hours=1)
    db.session.commit()
    with app.test_request_context():
        for _run in range(3):
            deadlines.send_reminders()
            db.session.commit()
        assert sms.deliver_sms_outbox() == 3  # the two new referrals', then the reminder
    request = gateway.requests[-1]
    assert request["fields"]["To"] == "+237670000009"
    assert "2 orientations" in request["fields"]["Body"] and "2 referrals" in \
        request["fields"]["Body"]
    tomorrow = utcnow() + timedelta(days=1)
    with app.test_request_context():
        deadlines.send_reminders(now=tomorrow)
        db.session.commit()
    assert [row.kind for row in outbox(db)] == ["received", "received", "overdue", "overdue"]


def test_remind_command_delivers_queued_sms(app, world, sent, phone, gateway, db):
    gateway.fail_with = 500
    sent()
    assert outbox(db)[0].sent_at is None
    gateway.fail_with = None
    result = app.test_cli_runner().invoke(args=["icrs", "remind"])
    assert result.exit_code == 0 and "1 SMS delivered" in result.output
    assert outbox(db)[0].sent_at is not None


def _draft(world, person, db):
    from icrs.referrals import services
    from tests.referrals.conftest import GOOD
    draft = services.refer(world.caseworker, person, world.service, GOOD, send=False)
    db.session.commit()
    return draft


# --- inbound --------------------------------------------------------------------------------------
class FakeLinks(types.ModuleType):
    """Stands in for icrs.exchange.links (built in another branch)."""

    class LinkInvalid(Exception):
        pass

    def __init__(self):
        super().__init__("icrs.exchange.links")
        self.calls, self.codes, self.illegal = [], {}, False

    def answer_by_short_code(self, short_code, action, *, reason=None, channel="sms"):
        self.calls.append((short_code, action, reason, channel))
        if short_code not in self.codes:
            raise self.LinkInvalid(short_code)
        if self.illegal:
            raise IllegalTransition("no such move")
        return self.codes[short_code]


@pytest.fixture
def links(monkeypatch):
    fake = FakeLinks()
    fake.codes["K7P2QX"] = types.SimpleNamespace(reference="AB12CD34")
    monkeypatch.setitem(sys.modules, "icrs.exchange.links", fake)
    import icrs.exchange
    monkeypatch.setattr(icrs.exchange, "links", fake, raising=False)
    return fake


@pytest.fixture
def twilio(app, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_SMS_GATEWAY", "twilio")
    monkeypatch.setitem(app.config, "ICRS_SMS_AUTH_TOKEN", TOKEN)

    def post(client, body, sender="+237699000001", signature=None, **extra):
        form = {"From": sender, "Body": body, "To": SENDER, "MessageSid": "SM1", **extra}
        url = app.config["ICRS_BASE_URL"] + "sms/inbound"
        signature = signature or twilio_signature(TOKEN, url, form)
        return client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
    return post


@pytest.fixture
def rapidpro(app, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_SMS_GATEWAY", "rapidpro")
    monkeypatch.setitem(app.config, "ICRS_SMS_WEBHOOK_SECRET", "hook-secret")

    def post(client, text, urn="tel:+237699000002", header="hook-secret"):
        body = {"contact": {"uuid": "c1", "name": "Focal point", "urn": urn},
                "flow": {"name": "ICRS"}, "input": {"type": "msg", "text": text}}
        return client.post("/sms/inbound", json=body, headers={"X-ICRS-Webhook-Secret": header})
    return post


@pytest.mark.parametrize("text, action, reason", [
    ("K7P2QX OK", "accept", None), ("k7p2qx accepter", "accept", None),
    ("K7P2QX Accepté", "accept", None), ("K7P2QX NO full until March", "decline",
                                         "full until March"),
    ("K7P2QX refuser pas de place", "decline", "pas de place"),
    ("K7P2QX START", "start", None), ("K7P2QX début", "start", None),
    ("K7P2QX done", "complete", None), ("K7P2QX FINI", "complete", None),
    ("K7P2QX FAIL moved away", "not_complete", "moved away"),
    ("K7P2QX échec parti", "not_complete", "parti")])
def test_each_keyword_maps_to_its_action(client, links, twilio, text, action, reason):
    response = twilio(client, text, sender=f"+2376990{abs(hash(text)) % 100000:05d}")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert links.calls == [("K7P2QX", action, reason, "sms")]
    answer = response.get_data(as_text=True)
    assert answer.startswith('<?xml') and "<Response><Message>ICRS" in answer
    assert "AB12CD34" in answer


def test_parse_reply_refuses_what_is_not_a_reply():
    assert parse_reply("") is None and parse_reply("K7P2QX") is None
    assert parse_reply("K7P2QX MAYBE") is None and parse_reply("?? OK") is None
    assert parse_reply("K7P2QX OK thanks").reason is None


def test_unknown_code_and_bad_move_are_explained(client, links, twilio):
    unknown = twilio(client, "ZZZZ99 OK", sender="+237699100001").get_data(as_text=True)
    assert "unknown, expired or already used" in unknown and "inconnu" in unknown
    links.illegal = True
    wrong = twilio(client, "K7P2QX DONE", sender="+237699100002").get_data(as_text=True)
    assert "current state" in wrong
    help_text = twilio(client, "hello", sender="+237699100003").get_data(as_text=True)
    assert "START, DONE" in help_text and len(links.calls) == 2


def test_bad_twilio_signature_is_refused(client, links, twilio):
    assert twilio(client, "K7P2QX OK", signature="bm90IGl0").status_code == 403
    assert client.post("/sms/inbound", data={"From": "+1", "Body": "K7P2QX OK"}).status_code \
        == 403
    assert links.calls == []


def test_a_signature_for_other_fields_is_refused(app, client, links, twilio):
    url = app.config["ICRS_BASE_URL"] + "sms/inbound"
    signed_for = twilio_signature(TOKEN, url, {"From": "+237699000001", "Body": "K7P2QX OK",
                                               "To": SENDER, "MessageSid": "SM1"})
    response = twilio(client, "K7P2QX NO", signature=signed_for)
    assert response.status_code == 403 and links.calls == []


def test_malformed_twilio_body_is_400(app, client, links, twilio):
    url = app.config["ICRS_BASE_URL"] + "sms/inbound"
    form = {"From": "+237699000009"}
    response = client.post("/sms/inbound", data=form, headers={
        "X-Twilio-Signature": twilio_signature(TOKEN, url, form)})
    assert response.status_code == 400 and links.calls == []


def test_rapidpro_webhook(client, links, rapidpro):
    response = rapidpro(client, "K7P2QX oui")
    assert response.status_code == 200 and "AB12CD34" in response.get_json()["reply"]
    assert links.calls == [("K7P2QX", "accept", None, "sms")]
    assert rapidpro(client, "K7P2QX OK", header="guess").status_code == 403
    bad = client.post("/sms/inbound", data="not json", content_type="application/json",
                      headers={"X-ICRS-Webhook-Secret": "hook-secret"})
    assert bad.status_code == 400 and len(links.calls) == 1


def test_webhook_without_a_gateway_is_404(client, links):
    assert client.post("/sms/inbound", data={"From": "+1", "Body": "x"}).status_code == 404


def test_replies_are_rate_limited_per_sender(app, client, links, rapidpro, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "ICRS_SMS_REPLY_RATE_LIMIT", "3 per minute")
    urn = "tel:+237699555555"
    answers = [rapidpro(client, "ZZZZ99 OK", urn=urn).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert rapidpro(client, "ZZZZ99 OK", urn="tel:+237699555556").status_code == 200
    assert "699555555" not in caplog.text and "ZZZZ99" not in caplog.text


def test_sms_test_command(app, db, gateway, monkeypatch):
    result = app.test_cli_runner().invoke(args=["icrs", "sms", "test", "6 99 00 00 01"])
    assert result.exit_code == 0 and "handed to twilio" in result.output, result.output
    assert gateway.requests[-1]["fields"]["To"] == PROVIDER_NUMBER
    monkeypatch.setitem(app.config, "ICRS_SMS_AUTH_TOKEN", "wrong")
    result = app.test_cli_runner().invoke(args=["icrs", "sms", "test", "+237699000001"])
    assert result.exit_code == 1 and "HTTP 401" in result.output and "wrong" not in result.output
    monkeypatch.setitem(app.config, "ICRS_SMS_GATEWAY", "none")
    result = app.test_cli_runner().invoke(args=["icrs", "sms", "test", "+237699000001"])
    assert result.exit_code == 1 and "ICRS_SMS_GATEWAY=none" in result.output

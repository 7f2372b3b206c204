"""The FHIR R4 API for partner organisations: every produced resource validated with
fhir.resources (R4B: same ServiceRequest and Task as R4), Task updates through the referral state
machine, and the refusals (token, other partner, transition, body, status)."""
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from icrs.audit.models import AuditEntry
from icrs.core.timeutil import utcnow
from icrs.exchange import fhir_services
from icrs.exchange.fhir_models import PartnerToken
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus

S = ReferralStatus
BASE = "/fhir/r4"
MODELS = {"ServiceRequest": ServiceRequest, "Task": Task, "Bundle": Bundle,
          "OperationOutcome": OperationOutcome, "CapabilityStatement": CapabilityStatement}


@pytest.fixture
def admin(make, db):
    user = make.user("admin", locale="en")
    db.session.commit()
    return user


@pytest.fixture
def token_for(admin, db):
    def _token(org, **kw):
        _row, raw = fhir_services.create_partner_token(admin, org, "Primero", **kw)
        db.session.commit()
        return raw
    return _token


def valid(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    body = response.get_json(force=True)
    MODELS[body["resourceType"]].model_validate(body)
    for entry in body.get("entry", []):
        MODELS[entry["resource"]["resourceType"]].model_validate(entry["resource"])
    return body


def call(client, method, path, raw=None, body=None, data=None, **headers):
    if raw:
        headers["Authorization"] = f"Bearer {raw}"
    if body is not None:
        data = json.dumps(body)
    return client.open(BASE + path, method=method, data=data, headers=headers,
                       content_type="application/fhir+json")


def fresh(db, referral):
    db.session.expire_all()
    return db.session.get(Referral, referral.id)


def actions(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_metadata_needs_no_token(client, db):
    body = valid(client.get(BASE + "/metadata"))
    assert body["fhirVersion"] == "4.0.1"


def test_partner_reads_its_referrals_as_fhir(client, db, world, sent, token_for):
    referral = sent()
    raw = token_for(world.org)
    bundle = valid(call(client, "GET", "/ServiceRequest", raw))
    assert bundle["type"] == "searchset" and bundle["total"] == 1
    request = bundle["entry"][0]["resource"]
    assert request["id"] == str(referral.id)
    assert request["identifier"][0]["value"] == referral.reference
    assert request["status"] == "active" and request["intent"] == "order"
    assert request["performer"][0]["reference"] == f"Organization/{world.org.id}"
    assert request["code"]["text"] == "Tailoring apprenticeship"
    assert request["category"][0]["coding"][0]["code"] == "vocational_training"
    assert request["occurrencePeriod"]["end"] == referral.complete_by.isoformat()
    patient = request["contained"][0]
    assert request["subject"] == {"reference": "#subject"}
    # the packet shared first name, age band and languages: nothing else of the person
    assert patient["name"] == [{"given": [referral.person.first_name]}]
    assert patient["gender"] == "female"
    assert "telecom" not in patient and "birthDate" not in patient
    assert referral.person.last_name not in json.dumps(request)
    assert actions(db, "exchange.fhir_read")[-1].object_type == "partner_token"

    tasks = valid(call(client, "GET", "/Task", raw))
    task = tasks["entry"][0]["resource"]
    assert task["status"] == "requested"
    assert task["focus"]["reference"] == f"ServiceRequest/{referral.id}"
    assert task["owner"]["reference"] == f"Organization/{world.org.id}"
    valid(call(client, "GET", f"/Task/{referral.id}", raw))
    valid(call(client, "GET", f"/ServiceRequest/{referral.id}", raw))


def test_partner_sees_nothing_of_another_organisation(client, db, world, sent, token_for):
    referral = sent()
    raw = token_for(world.other_org)
    assert valid(call(client, "GET", "/ServiceRequest", raw))["total"] == 0
    assert valid(call(client, "GET", "/Task", raw))["total"] == 0
    for path in (f"/Task/{referral.id}", f"/ServiceRequest/{referral.id}", "/Task/not-a-uuid"):
        body = valid(call(client, "GET", path, raw), 404)
        assert body["issue"][0]["code"] == "not-found"
    body = valid(call(client, "PUT", f"/Task/{referral.id}", raw,
                      {"resourceType": "Task", "status": "accepted"}), 404)
    assert fresh(db, referral).status == S.SENT


def test_withheld_packet_after_consent_withdrawn(client, db, world, sent, token_for):
    referral = sent()
    referral.packet_hidden_at = utcnow()
    db.session.commit()
    raw = token_for(world.org)
    before = len(actions(db, "exchange.fhir_read"))
    request = valid(call(client, "GET", f"/ServiceRequest/{referral.id}", raw))
    assert "contained" not in request and "reference" not in request["subject"]
    assert len(actions(db, "exchange.fhir_read")) == before  # no packet data: no read entry


def test_partner_moves_the_task(client, db, world, sent, token_for):
    referral = sent()
    raw = token_for(world.org)
    task = valid(call(client, "PUT", f"/Task/{referral.id}", raw,
                      {"resourceType": "Task", "id": str(referral.id), "status": "accepted",
                       "intent": "order"}))
    assert task["status"] == "accepted"
    assert fresh(db, referral).status == S.ACCEPTED
    entry = actions(db, "referrals.status_changed")[-1]
    assert entry.actor_id is None and '"partner_token"' in entry.details
    valid(call(client, "PATCH", f"/Task/{referral.id}", raw, {"status": "in-progress"}))
    task = valid(call(client, "PATCH", f"/Task/{referral.id}", raw, {
        "status": "completed", "note": [{"text": "Finished the course"}],
        "output": [{"type": {"text": "outcome"},
                    "valueCodeableConcept": {"coding": [{"code": "served"}]}}]}))
    assert task["status"] == "completed"
    assert task["output"][0]["valueCodeableConcept"]["coding"][0]["code"] == "served"
    done = fresh(db, referral)
    assert done.status == S.COMPLETED and done.outcome_note == "Finished the course"


def test_decline_with_status_reason(client, db, world, sent, token_for):
    referral = sent()
    raw = token_for(world.org)
    body = {"status": "rejected", "statusReason": {"coding": [{"code": "no_capacity"}]}}
    task = valid(call(client, "PATCH", f"/Task/{referral.id}", raw, body))
    assert task["status"] == "rejected"
    assert task["statusReason"]["coding"][0]["code"] == "no_capacity"
    assert fresh(db, referral).decline_reason == "no_capacity"


def test_decline_without_reason_is_invalid(client, db, world, sent, token_for):
    referral = sent()
    raw = token_for(world.org)
    valid(call(client, "PATCH", f"/Task/{referral.id}", raw, {"status": "rejected"}), 400)
    assert fresh(db, referral).status == S.SENT


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_no_or_bad_token(client, db, world, sent, header):
    referral = sent()
    headers = {"Authorization": header} if header else {}
    for method, path in (("GET", "/ServiceRequest"), ("GET", f"/Task/{referral.id}"),
                         ("PUT", f"/Task/{referral.id}")):
        response = client.open(BASE + path, method=method, headers=headers,
                               data="{}", content_type="application/fhir+json")
        body = valid(response, 401)
        assert body["issue"][0]["code"] == "login"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_and_revoked_tokens_are_refused(client, db, world, sent, token_for, admin):
    sent()
    expired = token_for(world.org, now=utcnow() - timedelta(days=3), days=1)
    valid(call(client, "GET", "/Task", expired), 401)
    raw = token_for(world.org)
    valid(call(client, "GET", "/Task", raw))
    row = db.session.scalar(sa.select(PartnerToken).where(
        PartnerToken.token_hash == fhir_services.hash_token(raw)))
    assert row.last_used_at is not None
    fhir_services.revoke_partner_token(admin, row)
    db.session.commit()
    valid(call(client, "GET", "/Task", raw), 401)
    assert actions(db, "exchange.partner_token_revoked")


def test_illegal_transition_is_409(client, db, world, sent, token_for):
    referral = sent()
    raw = token_for(world.org)
    for status in ("in-progress", "cancelled", "requested"):
        body = valid(call(client, "PATCH", f"/Task/{referral.id}", raw, {"status": status}), 409)
        assert body["issue"][0]["code"] == "conflict"
    assert fresh(db, referral).status == S.SENT


def test_stale_version_is_409(client, db, world, sent, token_for):
    referral = sent()
    raw = token_for(world.org)
    valid(call(client, "PATCH", f"/Task/{referral.id}", raw, {"status": "accepted"},
               **{"If-Match": 'W/"1"'}), 409)


@pytest.mark.parametrize("data", ["{not json", "[]", '{"resourceType": "Patient"}',
                                  '{"status": 3}', "{}"])
def test_malformed_body_is_400(client, db, world, sent, token_for, data):
    referral = sent()
    raw = token_for(world.org)
    body = valid(call(client, "PUT", f"/Task/{referral.id}", raw, data=data), 400)
    assert body["issue"][0]["code"] == "invalid"
    assert fresh(db, referral).status == S.SENT


@pytest.mark.parametrize("status", ["done", "received", "entered-in-error"])
def test_unknown_status_is_422(client, db, world, sent, token_for, status):
    referral = sent()
    raw = token_for(world.org)
    valid(call(client, "PATCH", f"/Task/{referral.id}", raw, {"status": status}), 422)


def test_unknown_path_and_method_answer_operation_outcome(client, db, world, token_for):
    raw = token_for(world.org)
    valid(call(client, "GET", "/Patient", raw), 404)
    valid(call(client, "DELETE", "/Task", raw), 405)


def test_only_admins_issue_tokens(db, world):
    from icrs.core.errors import AccessDenied
    with pytest.raises(AccessDenied):
        fhir_services.create_partner_token(world.provider, world.org, "x")


def test_rate_limit_per_token(app, client, db, world, token_for):
    raw = token_for(world.org)
    old = app.config["ICRS_FHIR_RATE_LIMIT"]
    app.config["ICRS_FHIR_RATE_LIMIT"] = "2 per minute"
    try:
        for _ in range(2):
            valid(call(client, "GET", "/Task", raw))
        body = valid(call(client, "GET", "/Task", raw), 429)
        assert body["issue"][0]["code"] == "throttled"
        valid(call(client, "GET", "/Task", token_for(world.other_org)))  # its own quota
    finally:
        app.config["ICRS_FHIR_RATE_LIMIT"] = old


def test_shared_phone_and_no_name_when_not_shared(client, db, world, sent, token_for):
    referral = sent(share=["phone", "age_band"])
    raw = token_for(world.org)
    request = valid(call(client, "GET", f"/ServiceRequest/{referral.id}", raw))
    patient = request["contained"][0]
    assert patient["telecom"] == [{"system": "phone", "value": referral.person.phone}]
    assert "name" not in patient and "communication" not in patient
    assert patient["extension"][0]["url"].endswith("/fhir/r4/StructureDefinition/age-band")

"""The disbursement ledger: handovers never pass what was approved (refused, nothing written),
corrections are reversing entries, receipts are recorded (witness encrypted, the signed form's
photo in the documents), and there is no route to edit or delete a line."""
import io

import sqlalchemy as sa
from PIL import Image

from icrs.assistance.models import AssistanceKind, Entitlement, Handover
from icrs.assistance.states import EntitlementStatus as S
from icrs.core.timeutil import today
from icrs.documents.models import Attachment


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _post(client, entitlement, **fields):
    prefix = f"ho-{entitlement.id.hex[:8]}"
    data = {"handed_on": today().isoformat(), "site_id": str(entitlement.person.site_id),
            "value": "50000", "receipt_method": "thumbprint", "witness_name": "Aissatou Mal",
            "row_version": str(entitlement.version)}
    data.update(fields)
    return client.post(f"/assistance/entitlements/{entitlement.id}/handovers",
                       data={f"{prefix}-{k}" if not k.startswith(prefix) else k: v
                             for k, v in data.items()},
                       content_type="multipart/form-data")


def _approved(person, kind, propose, approve, supervisor, amount=100000):
    return approve(propose(person, kind, amount), supervisor)


def _fresh(db, entitlement):
    db.session.expire_all()
    return db.session.get(Entitlement, entitlement.id)


def test_two_instalments_then_fully_disbursed(client, login_as, db, worker, supervisor, person,
                                              grant, propose, approve):
    entitlement = _approved(person, grant, propose, approve, supervisor)
    login_as(worker)
    assert _post(client, entitlement).status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.disbursed == 50000 and entitlement.status == S.PARTLY_DISBURSED
    assert _post(client, entitlement).status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.status == S.DISBURSED and entitlement.remaining == 0
    line = db.session.scalars(sa.select(Handover)).first()
    assert line.witness_name == "Aissatou Mal" and line.witness_name_ct != b"Aissatou Mal"
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Fully disbursed" in page and "Aissatou Mal" in page


def test_handover_over_the_approved_amount_is_refused(client, login_as, db, worker, supervisor,
                                                      person, grant, propose, approve):
    entitlement = _approved(person, grant, propose, approve, supervisor, 60000)
    login_as(worker)
    assert _post(client, entitlement, value="40000").status_code == 302
    entitlement = _fresh(db, entitlement)
    response = _post(client, entitlement, value="30000")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "More than what remains" in body
    assert f'id="ho-{entitlement.id.hex[:8]}-value-err"' in body
    assert _count(db, Handover) == 1 and _fresh(db, entitlement).disbursed == 40000


def test_stale_form_is_refused(client, login_as, db, worker, supervisor, person, grant,
                               propose, approve):
    entitlement = _approved(person, grant, propose, approve, supervisor)
    login_as(worker)
    old_version = str(entitlement.version)
    assert _post(client, entitlement, value="10000").status_code == 302
    response = _post(client, _fresh(db, entitlement), value="10000", row_version=old_version)
    assert response.status_code == 409 and _count(db, Handover) == 1


def test_bad_input_is_refused_at_the_field(client, login_as, db, worker, supervisor, person,
                                           grant, propose, approve):
    entitlement = _approved(person, grant, propose, approve, supervisor)
    login_as(worker)
    for fields, field in (({"value": "abc"}, "value"), ({"value": "-10"}, "value"),
                          ({"witness_name": ""}, "witness_name"),
                          ({"receipt_method": "paper_signature"}, "photo"),
                          ({"handed_on": "2999-01-01"}, "handed_on")):
        response = _post(client, entitlement, **fields)
        assert response.status_code == 400, fields
        assert f'id="ho-{entitlement.id.hex[:8]}-{field}-err"' in response.get_data(True), fields
    assert _count(db, Handover) == 0


def test_no_handover_before_approval(client, login_as, db, worker, person, grant, propose):
    entitlement = propose(person, grant)
    login_as(worker)
    response = _post(client, entitlement)
    assert response.status_code == 400 and _count(db, Handover) == 0


def test_reversal_is_a_new_line_and_frees_the_amount(client, login_as, db, worker, supervisor,
                                                     person, grant, propose, approve):
    entitlement = _approved(person, grant, propose, approve, supervisor, 50000)
    login_as(worker)
    assert _post(client, entitlement).status_code == 302
    line = db.session.scalar(sa.select(Handover))
    assert _fresh(db, entitlement).status == S.DISBURSED
    response = client.post(f"/assistance/handovers/{line.id}/reverse",
                           data={"rev-reason": "Recorded on the wrong case.",
                                 "rev-row_version": str(_fresh(db, entitlement).version)})
    assert response.status_code == 302
    lines = db.session.scalars(sa.select(Handover).order_by(Handover.recorded_at)).all()
    assert [h.value for h in lines] == [50000, -50000] and lines[1].reverses_id == line.id
    assert lines[1].note == "Recorded on the wrong case."
    entitlement = _fresh(db, entitlement)
    assert entitlement.disbursed == 0 and entitlement.status == S.APPROVED
    again = client.post(f"/assistance/handovers/{line.id}/reverse",
                        data={"rev-reason": "Twice.", "rev-row_version": str(entitlement.version)})
    assert again.status_code == 409 and _count(db, Handover) == 2


def test_kit_items_are_counted(client, login_as, db, worker, supervisor, person, make_type,
                               propose, approve):
    kit = make_type("moto_kit", kind=AssistanceKind.KIT.value, unit_value=300000,
                    items="1 | Caisse à outils | Toolbox\n2 | Pneu | Tyre")
    entitlement = _approved(person, kit, propose, approve, supervisor, 300000)
    toolbox, tyre = kit.items
    prefix = f"ho-{entitlement.id.hex[:8]}-"
    login_as(worker)
    assert _post(client, entitlement, value="200000",
                 **{f"{prefix}item-{toolbox.id}": "1", f"{prefix}item-{tyre.id}": "1"}
                 ).status_code == 302
    entitlement = _fresh(db, entitlement)
    response = _post(client, entitlement, value="50000", **{f"{prefix}item-{toolbox.id}": "1"})
    assert response.status_code == 400 and "at most 0 left" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Handover.items)) == [
        {"item": toolbox.id, "quantity": 1}, {"item": tyre.id, "quantity": 1}]


def test_paper_receipt_photo_is_stored_encrypted_in_the_documents(
        client, login_as, db, worker, supervisor, person, grant, propose, approve):
    entitlement = _approved(person, grant, propose, approve, supervisor)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    prefix = f"ho-{entitlement.id.hex[:8]}"
    login_as(worker)
    response = _post(client, entitlement, receipt_method="paper_signature", witness_name="",
                     **{f"{prefix}-photo": (io.BytesIO(buffer.getvalue()), "receipt.png")})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    line = db.session.scalar(sa.select(Handover))
    attachment = db.session.get(Attachment, line.receipt_attachment_id)
    assert attachment.person_id == person.id and attachment.media_type == "image/png"


def test_other_caseworker_cannot_hand_over(client, login_as, db, make, supervisor, person,
                                           grant, propose, approve):
    entitlement = _approved(person, grant, propose, approve, supervisor)
    login_as(make.user("caseworker", site="MER", locale="en"))
    assert _post(client, entitlement).status_code == 403
    assert _count(db, Handover) == 0


def test_no_route_edits_or_deletes_a_line(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("assistance.")
             and "handover" in r.rule]
    assert {r.endpoint for r in rules} == {"assistance.handover_new",
                                           "assistance.handover_reverse"}
    assert all(r.methods <= {"POST", "OPTIONS"} for r in rules)

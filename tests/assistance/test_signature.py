"""The receipt signed on screen: a PNG data URL from the pad, checked strictly (PNG bytes, at
most 200 KB, nothing written otherwise), stored as an encrypted case document of the kind
"signature", shown on the ledger line and downloaded (audited) by the case's readers; without
JavaScript the method is not offered; shredded with the person."""
import base64
import io
import re

import sqlalchemy as sa
from PIL import Image, ImageDraw

from icrs.assistance import ledger
from icrs.assistance.models import Handover, ReceiptMethod
from icrs.assistance.receipts import SIGNATURE_MAX_BYTES
from icrs.audit.models import AuditEntry
from icrs.core.timeutil import today
from icrs.documents.models import Attachment, AttachmentKind
from icrs.people.erasure import erase_person
from tests.assistance.test_ledger import _count, _post


def _png(size=(600, 200), fmt="PNG"):
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line([(20, 150), (120, 40), (260, 160), (560, 60)], fill="black",
                               width=3)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _url(data, prefix="data:image/png;base64,"):
    return prefix + base64.b64encode(data).decode()


def _granted(person, grant, propose, approve, supervisor):
    return approve(propose(person, grant, 100000), supervisor)


def _signed(client, entitlement, signature):
    return _post(client, entitlement, receipt_method="screen_signature", witness_name="",
                 signature=signature)


def test_signature_is_stored_encrypted_and_shown_on_the_ledger(
        client, login_as, db, worker, supervisor, person, grant, propose, approve):
    entitlement = _granted(person, grant, propose, approve, supervisor)
    login_as(worker)
    response = _signed(client, entitlement, _url(_png()))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    line = db.session.scalar(sa.select(Handover))
    assert line.receipt_method == ReceiptMethod.SCREEN_SIGNATURE
    attachment = db.session.get(Attachment, line.receipt_attachment_id)
    assert attachment.kind == AttachmentKind.SIGNATURE and attachment.person_id == person.id
    assert attachment.media_type == "image/png"
    assert attachment.content.startswith(b"\x89PNG") and b"\x89PNG" not in attachment.content_ct
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    link = f"/people/{person.id}/documents/{attachment.id}"
    assert "Signed on screen" in page and f'href="{link}"' in page and ">Signature</a>" in page

    login_as(supervisor)  # a reader of the case, as for the photo of the signed form
    download = client.get(link)
    assert download.status_code == 200 and download.data.startswith(b"\x89PNG")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "documents.downloaded")) == 1


def test_the_pad_needs_its_script_and_loads_nothing_from_elsewhere(
        client, login_as, db, worker, supervisor, person, grant, propose, approve):
    entitlement = _granted(person, grant, propose, approve, supervisor)
    login_as(worker)
    response = client.get(f"/people/{person.id}")
    page = response.get_data(as_text=True)
    option = re.search(r'<option[^>]*value="screen_signature"[^>]*>', page).group(0)
    assert "disabled" in option and "hidden" in option  # offered only by the script
    pad = re.search(r"<div[^>]*data-signature-pad[^>]*>", page).group(0)
    assert " hidden" in pad and f'data-input="ho-{entitlement.id.hex[:8]}-signature"' in pad
    assert re.search(r'<script src="/static/js/signature\.js\?v=\w+" defer></script>', page)
    assert not re.search(r'<script(?![^>]*src="/static/)', page)  # no inline script
    assert not re.search(r'(src|href)="(https?:)?//', page)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    script = client.get("/static/js/signature.js")
    body = script.get_data(as_text=True)
    assert script.status_code == 200 and "pointerdown" in body and "toDataURL" in body
    assert "http" not in body
    script.close()


def test_bad_signatures_are_refused_at_the_field_nothing_written(
        client, login_as, db, worker, supervisor, person, grant, propose, approve):
    entitlement = _granted(person, grant, propose, approve, supervisor)
    login_as(worker)
    too_big = b"\x89PNG\r\n\x1a\n" + b"\x00" * SIGNATURE_MAX_BYTES
    for signature in ("", _url(_png(fmt="JPEG")), _url(_png(), "data:image/jpeg;base64,"),
                      "data:image/png;base64,not base64!", _url(b"GIF89a" + b"\x00" * 40),
                      _url(too_big), _url(b"\x89PNG\r\n\x1a\n broken"),
                      "https://example.org/sig.png"):
        response = _signed(client, entitlement, signature)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, signature[:40]
        assert f'id="ho-{entitlement.id.hex[:8]}-signature-err"' in body, signature[:40]
    assert _count(db, Handover) == 0 and _count(db, Attachment) == 0


def test_a_signature_sent_with_another_method_is_not_kept(
        client, login_as, db, worker, supervisor, person, grant, propose, approve):
    entitlement = _granted(person, grant, propose, approve, supervisor)
    login_as(worker)
    assert _post(client, entitlement, signature=_url(_png())).status_code == 302
    assert db.session.scalar(sa.select(Handover)).receipt_method == ReceiptMethod.THUMBPRINT
    assert _count(db, Attachment) == 0


def test_signature_kind_cannot_be_uploaded_as_a_document(client, login_as, db, worker, person):
    login_as(worker)
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert 'value="signature"' not in page
    response = client.post(f"/people/{person.id}/documents", data={
        "doc-kind": "signature", "doc-file": (io.BytesIO(_png()), "sig.png")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and _count(db, Attachment) == 0


def test_signature_is_shredded_with_the_person(db, admin, worker, supervisor, person, grant,
                                               propose, approve):
    entitlement = _granted(person, grant, propose, approve, supervisor)
    line = ledger.record_handover(worker, entitlement, {
        "handed_on": today(), "site_id": person.site_id, "value": 40000,
        "receipt_method": "screen_signature", "signature": _url(_png())})
    db.session.commit()
    assert line.receipt_attachment_id is not None
    erase_person(admin, person)
    db.session.commit()
    db.session.expire_all()
    assert _count(db, Attachment) == 0
    kept = db.session.scalar(sa.select(Handover))
    assert kept.receipt_method == ReceiptMethod.SCREEN_SIGNATURE and kept.value == 40000
    assert kept.receipt_attachment_id is None

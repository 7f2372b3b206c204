"""Documents of a case: typed by content, re-encoded, encrypted, served with a permission check
and never cached; every refusal says why (translated) and writes nothing."""
import io

import pytest
import sqlalchemy as sa
from PIL import Image

from icrs.audit.models import AuditEntry
from icrs.crypto import shred
from icrs.documents.models import Attachment
from icrs.people.erasure import erase_person
from tests.conftest import signed_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt="JPEG", size=(2400, 1200), exif=True):
    image = Image.new("RGB", size, (200, 40, 40))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "GPS-tagging app"  # Software
        extra["exif"] = data.tobytes()
    image.save(out, fmt, **extra)
    return out.getvalue()


@pytest.fixture
def person(make, db, team):
    person = make.person(actor=team["owner"])
    db.session.commit()
    return person


def upload(client, person, data, name="scan.pdf", kind="consent_form"):
    return client.post(f"/people/{person.id}/documents",
                       data={"doc-kind": kind, "doc-file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _count(db, model=Attachment, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _uploaded(db):
    return _count(db, AuditEntry, AuditEntry.action == "documents.uploaded")


def test_the_assigned_caseworker_attaches_a_pdf_encrypted(app, db, team, person):
    client = signed_in(app, team["owner"])
    response = upload(client, person, PDF, name="Formulaire Aïcha Mahamat.pdf")
    assert response.status_code == 302
    attachment = db.session.scalar(sa.select(Attachment))
    assert attachment.media_type == "application/pdf" and attachment.size == len(PDF)
    assert attachment.content == PDF and PDF not in attachment.content_ct
    assert attachment.file_name == "Formulaire Aïcha Mahamat.pdf"
    assert "Aïcha".encode() not in attachment.file_name_ct
    assert _uploaded(db) == 1
    case = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Scanned consent form" in case and "Formulaire Aïcha Mahamat.pdf" in case
    assert "Aïcha Mahamat.pdf" not in response.headers["Location"]


def test_the_ciphertext_is_bound_to_its_row_and_kind(app, db, team, person):
    from icrs.crypto import DecryptionError

    upload(signed_in(app, team["owner"]), person, PDF)
    upload(signed_in(app, team["owner"]), person, PDF, kind="restricted")
    first, second = db.session.scalars(sa.select(Attachment)).all()
    db.session.execute(sa.update(Attachment).where(Attachment.id == second.id)
                       .values(content_ct=first.content_ct))
    db.session.execute(sa.update(Attachment).where(Attachment.id == first.id)
                       .values(kind=second.kind))  # a kind changed behind the app's back
    db.session.commit()
    db.session.expire_all()
    for row in db.session.scalars(sa.select(Attachment)):
        with pytest.raises(DecryptionError):
            row.content  # noqa: B018


def test_images_are_downscaled_and_lose_their_metadata(app, db, team, person):
    original = image_bytes("JPEG")
    assert b"SecretCam" in original
    assert upload(signed_in(app, team["owner"]), person, original, name="id.jpg",
                  kind="id_card").status_code == 302
    stored = db.session.scalar(sa.select(Attachment)).content
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and max(image.size) == 1600
    assert b"SecretCam" not in stored and not image.getexif()


@pytest.mark.parametrize("data,name,message", [
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "photo.png", "Only PDF, JPEG or PNG"),
    (b"<html><script>alert(1)</script></html>", "form.pdf", "Only PDF, JPEG or PNG"),
    (b"MZ\x90\x00 an executable", "scan.jpg", "Only PDF, JPEG or PNG"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "id.jpg", "cannot be read"),
    (b"%PDF-1.4\n1 0 obj << >> endobj\n", "cut.pdf", "incomplete or damaged"),
], ids=["gif", "html", "exe", "broken-jpeg", "pdf-without-eof"])
def test_wrong_types_are_refused_by_content(app, db, team, person, data, name, message):
    response = upload(signed_in(app, team["owner"]), person, data, name=name)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(db) == 0 and _uploaded(db) == 0


@pytest.mark.parametrize("data,message", [
    (image_bytes("JPEG", (40, 40), exif=False) + PDF, "an image and a PDF at once"),
    (image_bytes("PNG", (40, 40), exif=False) + b"<script>alert(1)</script>", "script content"),
    (PDF.replace(b"endobj", b"endobj\n<html><body onload=x>") , "script content"),
    (PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
     "scripts or embedded files"),
    (PDF.replace(b"/Catalog", b"/Catalog /Names << /J#61vaScript 2 0 R >>"),
     "scripts or embedded files"),
    (b"\xff\xd8\xff\xe0" + PDF, "an image and a PDF at once"),  # a PDF behind a JPEG header
], ids=["jpeg+pdf", "png+script", "pdf+html", "pdf+js", "pdf+hex-escaped-js", "jpeg-header-pdf"])
def test_polyglots_are_refused(app, db, team, person, data, message):
    response = upload(signed_in(app, team["owner"]), person, data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(db) == 0 and _uploaded(db) == 0


def test_oversize_is_refused_with_a_message(app, db, team, person, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_ATTACHMENT_MAX_BYTES", 1000)
    client = signed_in(app, team["owner"])
    big = PDF[:-6] + b" " * 1000 + b"%%EOF\n"
    response = upload(client, person, big)
    assert response.status_code == 400 and "larger than" in response.get_data(as_text=True)
    assert upload(client, person, big + b" " * 100_000).status_code == 413  # beyond the body
    assert upload(client, person, b"").status_code == 400
    assert _count(db) == 0 and _uploaded(db) == 0


def test_the_default_limit_is_five_megabytes_above_the_app_wide_limit(app):
    assert app.config["ICRS_ATTACHMENT_MAX_BYTES"] == 5 * 1024 * 1024
    assert app.config["ICRS_ATTACHMENT_MAX_BYTES"] > app.config["MAX_CONTENT_LENGTH"]


def test_a_missing_file_or_kind_is_refused(app, db, team, person):
    client = signed_in(app, team["owner"])
    response = client.post(f"/people/{person.id}/documents", data={"doc-kind": "photo"},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file." in response.get_data(as_text=True)
    assert upload(client, person, PDF, kind="passport").status_code == 400
    assert _count(db) == 0


def test_a_refusal_is_translated(app, db, team, person):
    team["owner"].locale = "fr"
    db.session.commit()
    response = upload(signed_in(app, team["owner"]), person, b"GIF89a;", name="x.pdf")
    assert response.status_code == 400
    assert "Seuls les fichiers PDF, JPEG ou PNG" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_who_may_attach(app, db, team, person):
    assert upload(signed_in(app, team["colleague"]), person, PDF).status_code == 403
    assert upload(signed_in(app, team["supervisor"]), person, PDF).status_code == 403
    assert upload(signed_in(app, team["other_site"]), person, PDF).status_code == 404
    assert upload(signed_in(app, team["provider"]), person, PDF).status_code == 403
    assert _count(db) == 0 and _uploaded(db) == 0


def _attach(app, team, person, kind="consent_form", data=PDF):
    assert upload(signed_in(app, team["owner"]), person, data, kind=kind).status_code == 302
    from icrs.extensions import db
    return db.session.scalars(sa.select(Attachment).order_by(Attachment.uploaded_at.desc())
                              ).first()


def test_download_headers_and_audit(app, db, team, person):
    attachment = _attach(app, team, person)
    response = signed_in(app, team["supervisor"]).get(
        f"/people/{person.id}/documents/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    h = response.headers
    assert h["Content-Type"] == "application/pdf"
    assert h["Cache-Control"] == "no-store" and h["X-Content-Type-Options"] == "nosniff"
    assert h["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in h["Content-Security-Policy"]
    assert "scan" not in h["Content-Disposition"]  # never the original file name
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "documents.downloaded")).all()
    assert len(entries) == 1 and entries[0].actor_id == team["supervisor"].id


def test_images_open_inline_sandboxed_and_audited(app, db, team, person):
    photo = _attach(app, team, person, "photo", image_bytes("PNG", (50, 50), exif=False))
    pdf = _attach(app, team, person)
    client = signed_in(app, team["colleague"])
    response = client.get(f"/people/{person.id}/documents/{photo.id}/view")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(f"/people/{person.id}/documents/{pdf.id}/view").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "documents.viewed")) == 1


def test_another_persons_attachment_id_is_404(app, db, make, team, person):
    other = make.person(actor=team["owner"])
    db.session.commit()
    attachment = _attach(app, team, other)
    client = signed_in(app, team["owner"])
    assert client.get(f"/people/{person.id}/documents/{attachment.id}").status_code == 404
    assert client.get(f"/people/{person.id}/documents/{person.id}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "documents.downloaded")) == 0


def test_outsiders_are_refused(app, db, team, person):
    attachment = _attach(app, team, person, "id_card", image_bytes("PNG", (30, 30), False))
    url = f"/people/{person.id}/documents/{attachment.id}"
    assert signed_in(app, team["other_site"]).get(url).status_code == 404
    assert signed_in(app, team["provider"]).get(url).status_code == 403
    assert signed_in(app, team["admin"]).get(url).status_code == 403
    assert signed_in(app, team["colleague"]).get(url).status_code == 200


def test_a_restricted_document_follows_need_to_know(app, db, team, person):
    attachment = _attach(app, team, person, "restricted")
    url = f"/people/{person.id}/documents/{attachment.id}"
    colleague = signed_in(app, team["colleague"])
    assert colleague.get(url).status_code == 404
    assert "Restricted document" not in colleague.get(f"/people/{person.id}").get_data(
        as_text=True)
    assert signed_in(app, team["supervisor"]).get(url).status_code == 200
    assert colleague.post(f"/people/{person.id}/break-glass", data={
        "glass-reason": "Urgence médicale, la caseworker est absente aujourd’hui."}
    ).status_code == 302
    assert colleague.get(url).status_code == 200


def test_after_shredding_the_document_is_gone(app, db, team, person):
    attachment = _attach(app, team, person)
    shred(person.id)
    db.session.commit()
    response = signed_in(app, team["owner"]).get(
        f"/people/{person.id}/documents/{attachment.id}")
    assert response.status_code == 410 and "destroyed" in response.get_data(as_text=True)
    assert PDF not in response.data


def test_erasure_deletes_the_documents(app, db, team, person):
    attachment = _attach(app, team, person)
    erase_person(team["admin"], person)
    db.session.commit()
    assert _count(db) == 0
    response = signed_in(app, team["supervisor"]).get(
        f"/people/{person.id}/documents/{attachment.id}")
    assert response.status_code in (404, 410)


def test_documents_survive_the_re_encryption_of_their_owner(app, db, team, person):
    from icrs.crypto import reencrypt_owner

    attachment = _attach(app, team, person)
    before = attachment.content_ct
    reencrypt_owner(person.id)
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Attachment, attachment.id)
    assert again.content_ct != before and again.content == PDF


def test_a_merge_moves_the_documents_readable_under_the_survivor(app, db, make, team, person):
    from icrs.people.merge import merge_people

    survivor = make.person(actor=team["owner"])
    db.session.commit()
    attachment_id = _attach(app, team, person).id
    merge_people(team["supervisor"], survivor, person)
    db.session.commit()
    db.session.expire_all()
    moved = db.session.get(Attachment, attachment_id)
    assert moved.person_id == survivor.id
    assert moved.content == PDF and moved.file_name == "scan.pdf"

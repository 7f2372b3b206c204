"""The questionnaire pages: an admin uploads a compatible version, previews what it adds,
publishes it; the visit page then shows the new question and a new visit records the new
version while the earlier visits keep theirs. Refusals (another role, a bad file, an
incompatible version) answer 403 or 400 with the reason and write nothing."""
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.field.models import QuestionnaireVersion
from icrs.people import casework, follow_ups, services
from icrs.people.models import FollowUp
from tests.conftest import signed_in
from tests.field.test_versions import COMPATIBLE, SHIPPED, VISIT
from tests.field.xlsforms import follow_up_visit

BASE = "/admin/questionnaires"
UPLOAD = f"{BASE}/follow_up_visit/upload"


def _send(client, data, filename="visit.xlsx"):
    return client.post(UPLOAD, data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _count(model):
    from icrs.extensions import db
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def case(team, db):
    worker = team["owner"]
    person = services.register_person(worker, worker.site, {
        "first_name": "Aïcha", "last_name": "Mahamat", "sex": "female", "birth_year": 1995,
        "birth_date": dt.date(1995, 3, 14), "category": "adult_woman", "languages": ["fr"]})
    done = casework.schedule_follow_up(worker, person, dt.date.today(), "Visite")
    follow_ups.record_visit(worker, person, done, VISIT)
    todo = casework.schedule_follow_up(worker, person, dt.date.today(), "Visite")
    db.session.commit()
    return person, done, todo


def test_upload_preview_publish_and_the_next_visit(app, team, case, db):
    person, done, todo = case
    admin = signed_in(app, team["admin"])
    page = admin.get(f"{BASE}/").get_data(as_text=True)
    assert "Version in use: 2026120401" in page and "the file shipped with ICRS" in page
    response = _send(admin, COMPATIBLE)
    assert response.status_code == 302
    row = db.session.scalars(sa.select(QuestionnaireVersion)).one()
    assert not row.published and row.uploaded_by_id == team["admin"].id
    preview = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Questions added" in preview and "News from the village" in preview
    assert "Publish" in preview
    worker = signed_in(app, team["owner"])
    visit_url = f"/people/{person.id}/follow-ups/{todo.id}/done"
    assert "village_news" not in worker.get(visit_url).get_data(as_text=True)  # a draft
    assert admin.post(f"{BASE}/follow_up_visit/versions/{row.id}/publish").status_code == 302
    page = admin.get(f"{BASE}/").get_data(as_text=True)
    assert "Version in use: 2026120402" in page and "In use" in page
    assert 'name="visit-village_news"' in worker.get(visit_url).get_data(as_text=True)
    data = {f"visit-{k}": (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in {**VISIT, "village_news": "Rain came"}.items()}
    assert worker.post(visit_url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(FollowUp, todo.id).form_version == "2026120402"
    assert db.session.get(FollowUp, done.id).form_version == SHIPPED


def test_downloads_are_the_versions_files_and_are_audited(app, team, db):
    admin = signed_in(app, team["admin"])
    shipped = admin.get(f"{BASE}/follow_up_visit/current/xlsx")
    assert shipped.status_code == 200 and shipped.data[:2] == b"PK"
    assert "follow_up_visit-2026120401.xlsx" in shipped.headers["Content-Disposition"]
    _send(admin, COMPATIBLE)
    row = db.session.scalars(sa.select(QuestionnaireVersion)).one()
    draft = admin.get(f"{BASE}/follow_up_visit/versions/{row.id}/xlsx")
    assert draft.data == COMPATIBLE
    admin.post(f"{BASE}/follow_up_visit/versions/{row.id}/publish")
    xform = admin.get(f"{BASE}/follow_up_visit/current/xform")
    assert xform.status_code == 200 and b"village_news" in xform.data
    assert b'version="2026120402"' in xform.data
    downloads = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "field.questionnaire_downloaded")).all()
    assert len(downloads) == 3


@pytest.mark.parametrize("role", ["owner", "supervisor", "provider", "monitoring"])
def test_other_roles_may_not_upload_or_publish(app, team, db, role):
    admin = signed_in(app, team["admin"])
    _send(admin, COMPATIBLE)
    row = db.session.scalars(sa.select(QuestionnaireVersion)).one()
    client = signed_in(app, team[role])
    assert client.get(f"{BASE}/").status_code == 403
    assert _send(client, follow_up_visit(version="2026120403")).status_code == 403
    assert client.post(f"{BASE}/follow_up_visit/versions/{row.id}/publish").status_code == 403
    db.session.expire_all()
    assert [r.version for r in db.session.scalars(sa.select(QuestionnaireVersion))] == [
        "2026120402"]
    assert not db.session.get(QuestionnaireVersion, row.id).published


@pytest.mark.parametrize("data, filename, message", [
    (b"not a spreadsheet", "visit.csv", "This is not an XLSForm: send the .xlsx file."),
    (follow_up_visit(retype={"note": "select_one nowhere"}), "visit.xlsx",
     "The XLSForm cannot be read"),
    (follow_up_visit(version=SHIPPED), "visit.xlsx",
     "The version 2026120401 must be greater than the current one (2026120401)."),
    (follow_up_visit(version="2026010101"), "visit.xlsx",
     "The version 2026010101 must be greater than the current one (2026120401)."),
    (follow_up_visit(drop=("activity",)), "visit.xlsx",
     "The coded question «activity» is missing."),
    (follow_up_visit(retype={"family_acceptance": "integer"}), "visit.xlsx",
     "The coded question «family_acceptance» changes type."),
    (follow_up_visit(drop_codes=[("activity", "studies")]), "visit.xlsx",
     "The code «studies» of the coded question «activity» is removed."),
    (follow_up_visit(form_id="profile"), "visit.xlsx",
     "This file is the form «profile», not «follow_up_visit»."),
])
def test_bad_files_are_refused_with_the_reason_and_nothing_written(app, team, db, data,
                                                                    filename, message):
    admin = signed_in(app, team["admin"])
    audit = _count(AuditEntry)
    response = _send(admin, data, filename)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was saved." in page
    assert message in page
    assert _count(QuestionnaireVersion) == 0 and _count(AuditEntry) == audit


def test_no_file_and_an_unknown_form(app, team, db):
    admin = signed_in(app, team["admin"])
    response = admin.post(UPLOAD, data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file." in response.get_data(as_text=True)
    assert admin.get(f"{BASE}/profile/upload").status_code == 404
    assert admin.get(f"{BASE}/follow_up_visit/versions/987/xlsx").status_code == 404
    assert _count(QuestionnaireVersion) == 0


def test_publishing_an_already_published_version_is_refused(app, team, db):
    admin = signed_in(app, team["admin"])
    _send(admin, COMPATIBLE)
    row = db.session.scalars(sa.select(QuestionnaireVersion)).one()
    admin.post(f"{BASE}/follow_up_visit/versions/{row.id}/publish")
    response = admin.post(f"{BASE}/follow_up_visit/versions/{row.id}/publish",
                          follow_redirects=True)
    assert "This version is already published." in response.get_data(as_text=True)
    assert _count(QuestionnaireVersion) == 1

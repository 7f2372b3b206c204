"""Questionnaire versions (icrs.field.versions): the shipped file is the baseline, an upload is
a checked draft, publishing makes it the version in use; a refused file writes nothing; each
visit records the version of the form it was answered on."""
import datetime as dt

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from icrs.audit.models import AuditEntry
from icrs.field import versions
from icrs.field.models import QuestionnaireVersion
from icrs.field.questionnaire import path_of
from icrs.people import casework, follow_ups, services
from icrs.people.models import FollowUp
from tests.field.xlsforms import follow_up_visit

FORM = "follow_up_visit"
SHIPPED = "2026120401"
VISIT = {"visit_date": dt.date.today(), "visit_type": "home", "activity": "own_business",
         "income_band": "25k_50k", "business_running": "yes", "housing": "stable",
         "family_acceptance": "4", "community_acceptance": "3", "safety": "none",
         "who5_cheerful": "3", "who5_calm": "3", "who5_active": "4", "who5_rested": "2",
         "who5_interest": "3"}
COMPATIBLE = follow_up_visit(add=[("text", "village_news", "Nouvelles du village",
                                   "News from the village")])


@pytest.fixture(autouse=True)
def english(app, db):
    """The messages in English (the tests read them)."""
    with app.test_request_context("/"), force_locale("en"):
        yield



def _count(model=QuestionnaireVersion):
    return versions.db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_with_no_upload_the_shipped_file_is_in_use(db):
    assert versions.current(FORM).version == SHIPPED
    assert versions.current_xlsx(FORM) == path_of(FORM).read_bytes()
    assert versions.form_ids() == (FORM,)


def test_an_upload_is_a_draft_until_published(make, db):
    admin = make.user("admin")
    row = versions.upload(admin, FORM, COMPATIBLE, "visit.xlsx")
    db.session.commit()
    assert not row.published and versions.current(FORM).version == SHIPPED
    assert versions.preview(row).added == ("village_news",)
    versions.publish(admin, row)
    db.session.commit()
    current = versions.current(FORM)
    assert current.version == "2026120402" and "village_news" in {q.name for q in
                                                                    current.questions}
    assert versions.current(FORM) is current   # read once per file
    assert versions.current_xlsx(FORM) == COMPATIBLE
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions == ["field.questionnaire_uploaded", "field.questionnaire_published"]


def test_a_new_draft_replaces_the_earlier_one(make, db):
    admin = make.user("admin")
    versions.upload(admin, FORM, COMPATIBLE)
    versions.upload(admin, FORM, follow_up_visit(version="2026120403"))
    db.session.commit()
    assert [r.version for r in versions.history(FORM)] == ["2026120403"]


def test_the_next_version_is_checked_against_the_published_one(make, db):
    admin = make.user("admin")
    versions.publish(admin, versions.upload(admin, FORM, COMPATIBLE))
    db.session.commit()
    with pytest.raises(versions.Refused) as refused:
        versions.upload(admin, FORM, follow_up_visit(version="2026120402"))
    assert [str(e) for e in refused.value.errors] == [
        "The version 2026120402 must be greater than the current one (2026120402)."]


def test_publishing_twice_is_refused(make, db):
    admin = make.user("admin")
    row = versions.publish(admin, versions.upload(admin, FORM, COMPATIBLE))
    with pytest.raises(versions.Refused):
        versions.publish(admin, row)


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"form_id,version\n", "This is not an XLSForm: send the .xlsx file."),
    (b"PK" + b"x" * (1024 * 1024), "The file is larger than 1 MB."),
    (b"PK\x03\x04 broken", "The file cannot be read as an .xlsx workbook."),
    (follow_up_visit(retype={"note": "select_one nowhere"}), "The XLSForm cannot be read"),
    (follow_up_visit(version=SHIPPED),
     "The version 2026120401 must be greater than the current one (2026120401)."),
    (follow_up_visit(version="2026110101"), "must be greater than the current one"),
    (follow_up_visit(drop=("activity",)), "The coded question «activity» is missing."),
    (follow_up_visit(retype={"housing": "select_one safety"}),
     "The coded question «housing» changes its choice list (housing, not safety)."),
    (follow_up_visit(retype={"family_acceptance": "integer"}),
     "The coded question «family_acceptance» changes type."),
    (follow_up_visit(drop_codes=[("activity", "studies")]),
     "The code «studies» of the coded question «activity» is removed."),
    (follow_up_visit(form_id="profile"),
     "This file is the form «profile», not «follow_up_visit»."),
    (follow_up_visit(add_codes=[("activity", "fishing")]),
     "The code «fishing» of «activity» cannot be kept."),
    (follow_up_visit(add=[("integer", "goats", "Chèvres", "Goats")], retype={}),
     None),
    (follow_up_visit(drop=("note",)), "The question «note» is missing."),
])
def test_refused_files_write_nothing(make, db, data, message):
    admin = make.user("admin")
    db.session.commit()
    if message is None:   # a new question that is not coded: accepted (control)
        assert versions.upload(admin, FORM, data).version == "2026120402"
        return
    with pytest.raises(versions.Refused) as refused:
        versions.upload(admin, FORM, data)
    db.session.rollback()
    assert message in " ".join(str(e) for e in refused.value.errors)
    assert _count() == 0 and _count(AuditEntry) == 0


def test_a_new_coded_question_without_a_column_is_refused(make, db):
    admin = make.user("admin")
    data = follow_up_visit(add=[("integer", "goats", "Chèvres", "Goats", "yes")])
    with pytest.raises(versions.Refused) as refused:
        versions.upload(admin, FORM, data)
    assert [str(e) for e in refused.value.errors] == [
        "The coded question «goats» has no column to keep its answers."]


def test_each_visit_records_its_form_version(make, db):
    worker, admin = make.user("caseworker"), make.user("admin")
    person = services.register_person(worker, worker.site, {
        "first_name": "Aïcha", "last_name": "Mahamat", "sex": "female", "birth_year": 1995,
        "birth_date": dt.date(1995, 3, 14), "category": "adult_woman", "languages": ["fr"]})
    first = casework.schedule_follow_up(worker, person, dt.date.today(), "Visite")
    second = casework.schedule_follow_up(worker, person, dt.date.today(), "Visite")
    follow_ups.record_visit(worker, person, first, VISIT)
    versions.publish(admin, versions.upload(admin, FORM, COMPATIBLE))
    follow_ups.record_visit(worker, person, second, VISIT, form_version="2026120402")
    db.session.commit()
    assert db.session.get(FollowUp, first.id).form_version == SHIPPED
    assert db.session.get(FollowUp, second.id).form_version == "2026120402"

"""Merging two cases of one person: everything moves (and stays readable), the merged case is a
tombstone that leaves lists and counts, both case numbers find the survivor, audited; refusals."""
import datetime as dt
import json

import pytest
import sqlalchemy as sa

from icrs.approvals.models import ApprovalRequest
from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import today
from icrs.people import casework
from icrs.people.merge import merge_people, preview_merge
from icrs.people.models import (
    Consent,
    DuplicateDecision,
    FollowUp,
    Note,
    Person,
    PersonNameKey,
    StageChange,
)
from icrs.plans.models import PlanGoal, PlanVersion
from icrs.profiling.models import ProfileDraft, ProfileSection, ProfileVersion
from icrs.referrals.models import Referral, ReferralEvent
from tests import factories


@pytest.fixture
def cases(db, make, register, consent_all):
    worker = make.user("caseworker", site=make.site("MER", "EN"))
    keep = register(worker, first_name="Aboubakar", last_name="Goni")
    dup = register(worker, first_name="Aboubacar", last_name="Goni", phone="+237 6 77 00 11 22")
    for person in (keep, dup):
        consent_all(worker, person)
    casework.add_note(worker, dup, "Met at the Mora centre")
    factories.counselled(worker, dup, "Session one", "agriculture", "Grow onions")
    casework.schedule_follow_up(worker, dup, today() + dt.timedelta(days=30), "Visit")
    for person, number in ((keep, 1), (keep, 2), (dup, 1)):
        version = ProfileVersion(person_id=person.id, number=number,
                                 is_current=number == (2 if person is keep else 1))
        db.session.add(version)
        version.vulnerability_flags = ["threats"] if person is dup else []
        db.session.flush()
        section = ProfileSection(person_id=person.id, version_id=version.id, section="skills")
        db.session.add(section)
        section.answers = {"owner": person.first_name}
    db.session.add(ProfileDraft(person_id=dup.id))
    db.session.add(ProfileDraft(person_id=keep.id))
    db.session.add(DuplicateDecision(person_id=dup.id, candidate_id=keep.id,
                                     decided_by_id=worker.id))
    from icrs.people import services
    from icrs.people.models import ConsentMethod, ConsentPurpose
    services.record_consent(worker, dup, ConsentPurpose.SHARING, ConsentMethod.SIGNED,
                            service_category="vocational_training")
    make.referral(person=dup, actor=worker)
    db.session.commit()
    supervisor = make.user("supervisor", region=make.region("EN"))
    db.session.commit()
    return keep, dup, supervisor


def _rows(db, model, person):
    return db.session.scalars(sa.select(model).where(model.person_id == person.id)).all()


def test_merge_moves_everything_and_leaves_a_tombstone(db, cases):
    keep, dup, supervisor = cases
    dup_id, dup_number = dup.id, dup.case_number
    before = {m: len(_rows(db, m, keep)) + len(_rows(db, m, dup)) for m in (
        Consent, StageChange, Note, PlanVersion, PlanGoal, FollowUp, ProfileVersion,
        ProfileSection, Referral, ReferralEvent)}
    preview = preview_merge(supervisor, keep, dup)
    assert sum(preview.moves.values()) == 10 and len(preview.moves) == 7
    assert len(preview.dropped) == 3  # first name, phone, ID number differ
    merge_people(supervisor, keep, dup)
    db.session.commit()
    db.session.expire_all()
    for model, count in before.items():
        assert len(_rows(db, model, keep)) == count, model
        assert not db.session.scalars(sa.select(model).where(
            model.person_id == dup_id)).all(), model
    # moved rows are readable under the survivor's key
    assert sorted(n.text for n in _rows(db, Note, keep)) == ["Met at the Mora centre",
                                                             "Session one"]
    assert [g.text for g in _rows(db, PlanGoal, keep)] == ["Grow onions"]
    referral = _rows(db, Referral, keep)[0]
    assert referral.reason == "Wants to learn a trade" and referral.person_site_id == keep.site_id
    versions = sorted(_rows(db, ProfileVersion, keep), key=lambda v: v.number)
    assert [v.number for v in versions] == [1, 2, 3] and [v.is_current for v in versions] == [
        False, False, True]
    assert versions[0].vulnerability_flags == ["threats"]  # the duplicate's, now history
    assert {s.answers["owner"] for s in _rows(db, ProfileSection, keep)} == {
        "Aboubakar", "Aboubacar"}
    assert len(_rows(db, ProfileDraft, keep)) == 1 and not db.session.scalars(sa.select(
        ProfileDraft).where(ProfileDraft.person_id == dup_id)).all()
    assert not db.session.scalars(sa.select(DuplicateDecision)).all()
    tomb = db.session.get(Person, dup_id)
    assert tomb.merged_into_id == keep.id and tomb.merged_at is not None
    assert tomb.first_name_ct is None and tomb.phone_bidx is None
    assert not _rows(db, PersonNameKey, tomb)  # no name search or duplicate check finds it
    from icrs.people.services import find_duplicates
    assert [p.id for p in find_duplicates({"first_name": "Aboubacar", "last_name": "Goni",
                                           "birth_year": keep.birth_year})] == [keep.id]
    (entry,) = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "people.merged")).all()
    details = json.loads(entry.details)
    assert entry.object_id == str(keep.id) and details["merged"] == str(dup_id)
    assert details["merged_case"] == dup_number and "Aboubacar" not in entry.details


def test_both_numbers_find_the_survivor_and_the_tombstone_leaves_lists(
        client, login_as, db, cases):
    keep, dup, supervisor = cases
    merge_people(supervisor, keep, dup)
    db.session.commit()
    login_as(supervisor)
    page = client.get(f"/people/?kind=case&q={dup.case_number}").get_data(as_text=True)
    assert keep.case_number in page
    listing = client.get("/people/").get_data(as_text=True)
    assert keep.case_number in listing and dup.case_number not in listing
    response = client.get(f"/people/{dup.id}")
    assert response.status_code == 302 and str(keep.id) in response.headers["Location"]
    assert client.get("/dashboard/").status_code == 200


def test_the_pages_preview_then_merge(client, login_as, db, cases):
    keep, dup, supervisor = cases
    login_as(supervisor)
    preview = client.get(f"/people/{keep.id}/merge?other={dup.case_number}")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Notes" in text and str(dup.id) in text
    db.session.expire_all()
    assert db.session.get(Person, dup.id).merged_into_id is None  # GET changed nothing
    done = client.post(f"/people/{keep.id}/merge", data={"other_id": str(dup.id)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, dup.id).merged_into_id == keep.id
    again = client.post(f"/people/{keep.id}/merge", data={"other_id": str(dup.id)})
    assert again.status_code == 400


def test_refusals(db, make, cases, register):
    keep, dup, supervisor = cases
    with pytest.raises(DomainError):
        merge_people(supervisor, keep, keep)
    other_region = make.user("supervisor", region=make.region("NW"))
    with pytest.raises(AccessDenied):
        merge_people(other_region, keep, dup)
    elsewhere = register(make.user("caseworker", site=make.site("BDA", "NW")))
    with pytest.raises(AccessDenied):
        merge_people(supervisor, keep, elsewhere)
    with pytest.raises(AccessDenied):
        merge_people(keep.caseworker, keep, dup)
    db.session.add(ApprovalRequest(kind="person.erasure", subject_type="person",
                                   subject_id=str(dup.id), person_id=dup.id,
                                   requested_by_id=keep.caseworker_id,
                                   open_key=f"person.erasure:person:{dup.id}"))
    db.session.flush()
    with pytest.raises(DomainError):
        merge_people(supervisor, keep, dup)
    db.session.rollback()
    merge_people(supervisor, keep, dup)
    db.session.commit()
    with pytest.raises(DomainError):
        merge_people(supervisor, keep, dup)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.merged")) == 1


def test_caseworker_and_out_of_scope_get_refused_on_the_pages(client, login_as, db, make,
                                                              cases):
    keep, dup, _ = cases
    login_as("caseworker", site=make.site("MER", "EN"))
    assert client.get(f"/people/{keep.id}/merge?other={dup.case_number}").status_code == 403
    assert client.post(f"/people/{keep.id}/merge",
                       data={"other_id": str(dup.id)}).status_code == 403
    client.post("/logout")
    login_as("supervisor", region="NW")
    assert client.post(f"/people/{keep.id}/merge",
                       data={"other_id": str(dup.id)}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Person, dup.id).merged_into_id is None

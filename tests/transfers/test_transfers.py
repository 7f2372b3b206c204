"""Transfers between sites: a Méri case asked to move to Mora, decided by Mora's supervisor;
the old site keeps a stub; every refusal leaves nothing written. Contact requests about a
possible duplicate at another site."""
import re

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.extensions import db as _db
from icrs.people import services as people
from icrs.people.models import ConsentMethod, ConsentPurpose, Person, StageChange
from icrs.referrals.models import Referral
from icrs.referrals.notifications import Notification
from icrs.transfers.models import CaseTransfer, DuplicateContact
from icrs.transfers.states import TransferStatus
from tests.conftest import signed_in
from tests.people.test_views import GOOD


@pytest.fixture
def world(make, db):
    mer, mor, bam = make.site("MER"), make.site("MOR"), make.site("BAM", region="NW")
    users = {"owner": make.user("caseworker", site=mer, locale="en"),
             "colleague": make.user("caseworker", site=mer, locale="en"),
             "mora_cw": make.user("caseworker", site=mor, locale="en"),
             "mora_sup": make.user("supervisor", site=mor, locale="en"),
             "meri_sup": make.user("supervisor", site=mer, locale="en"),
             "bam_cw": make.user("caseworker", site=bam, locale="en")}
    person = make.person(users["owner"], first_name="Zenaba")
    people.record_consent_of_all(users["owner"], person, ConsentPurpose.REGISTRATION,
                                 ConsentMethod.SIGNED)
    referral = make.referral(person=person)
    db.session.commit()
    return {**users, "person": person, "referral": referral, "mer": mer, "mor": mor,
            "bam": bam}


def _ask(app, w, user="owner", site="mor", reason="Moved to Mora with her family"):
    client = signed_in(app, w[user])
    return client.post(f"/transfers/new/{w['person'].id}",
                       data={"to_site_id": str(w[site].id), "reason": reason})


def _transfer():
    return _db.session.scalar(sa.select(CaseTransfer))


def _count(model):
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _notes(kind):
    return {n.user_id for n in _db.session.scalars(
        sa.select(Notification).where(Notification.kind == kind))}


def test_a_meri_case_moves_to_mora_when_accepted(app, world):
    w, person = world, world["person"]
    history = _count(StageChange)
    assert _ask(app, w).status_code == 302
    transfer = _transfer()
    assert transfer.status == TransferStatus.REQUESTED and _notes("transfer_requested") == {
        w["mora_sup"].id}
    mora = signed_in(app, w["mora_sup"])
    listed = mora.get("/transfers/").get_data(as_text=True)
    assert person.case_number in listed and "Zenaba" not in listed
    page = mora.get(f"/transfers/{transfer.id}").get_data(as_text=True)
    assert "Moved to Mora" in page and "Zenaba" not in page, page
    accepted = mora.post(f"/transfers/{transfer.id}/accept",
                         data={"caseworker_id": str(w["mora_cw"].id), "row_version": "1"})
    assert accepted.status_code == 302
    _db.session.expire_all()
    person = _db.session.get(Person, person.id)
    assert (person.site_id, person.region_id, person.caseworker_id) == (
        w["mor"].id, w["mor"].region_id, w["mora_cw"].id)
    assert _db.session.get(Referral, w["referral"].id).person_site_id == w["mor"].id
    assert _count(StageChange) == history  # the history stays on the person
    assert signed_in(app, w["mora_cw"]).get(f"/people/{person.id}").status_code == 200
    assert _notes("transfer_accepted") == {w["owner"].id}
    assert _notes("transfer_assigned") == {w["mora_cw"].id}
    for who in ("owner", "colleague"):  # the old site: the stub, never the content
        client = signed_in(app, w[who])
        assert client.get(f"/people/{person.id}").status_code == 404
        stubs = client.get("/transfers/").get_data(as_text=True)
        assert person.case_number in stubs and "Accepted" in stubs and "Zenaba" not in stubs
    stub = signed_in(app, w["colleague"]).get(f"/transfers/{transfer.id}").get_data(as_text=True)
    assert "no longer visible here" in stub and "Moved to Mora" not in stub
    actions = set(_db.session.scalars(sa.select(AuditEntry.action)))
    assert {"transfers.requested", "transfers.viewed", "transfers.accepted"} <= actions


def test_rejection_needs_a_reason_and_tells_the_requester(app, world):
    w = world
    _ask(app, w)
    transfer = _transfer()
    mora = signed_in(app, w["mora_sup"])
    missing = mora.post(f"/transfers/{transfer.id}/reject", data={"comment": " "})
    assert missing.status_code == 400 and "Say why." in missing.get_data(as_text=True)
    _db.session.expire_all()
    assert _transfer().status == TransferStatus.REQUESTED
    done = mora.post(f"/transfers/{transfer.id}/reject", data={"comment": "No capacity"})
    assert done.status_code == 302
    _db.session.expire_all()
    assert _transfer().status == TransferStatus.REJECTED and _transfer().comment == "No capacity"
    assert _db.session.get(Person, w["person"].id).site_id == w["mer"].id
    assert _notes("transfer_rejected") == {w["owner"].id}


def test_a_site_the_requester_cannot_see_is_refused(app, world):
    refused = _ask(app, world, site="bam")
    assert refused.status_code == 400
    assert "Choose a site this case may be transferred to." in refused.get_data(as_text=True)
    assert _count(CaseTransfer) == 0 and _count(Notification) == 0


def test_a_partner_site_of_another_region_may_receive(app, world, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_TRANSFER_PARTNER_SITES", "BAM:MER")
    assert _ask(app, world, site="bam").status_code == 302
    assert _transfer().to_region_id == world["bam"].region_id


@pytest.mark.parametrize("who", ["bam_cw", "mora_cw"])
def test_a_caseworker_of_another_site_cannot_ask(app, world, who):
    assert _ask(app, world, user=who).status_code == 404
    assert _count(CaseTransfer) == 0


def test_missing_reason_is_refused_at_the_field(app, world):
    refused = _ask(app, world, reason="")
    assert refused.status_code == 400 and "Say why." in refused.get_data(as_text=True)
    assert _count(CaseTransfer) == 0


def test_only_the_receiving_side_accepts(app, world):
    w = world
    _ask(app, w)
    transfer = _transfer()
    data = {"caseworker_id": str(w["mora_cw"].id)}
    assert signed_in(app, w["meri_sup"]).post(f"/transfers/{transfer.id}/accept",
                                              data=data).status_code == 403
    assert signed_in(app, w["owner"]).post(f"/transfers/{transfer.id}/accept",
                                           data=data).status_code == 403
    _db.session.expire_all()
    assert _transfer().status == TransferStatus.REQUESTED
    assert _db.session.get(Person, w["person"].id).site_id == w["mer"].id


def test_the_new_caseworker_must_work_at_the_receiving_site(app, world):
    w = world
    _ask(app, w)
    refused = signed_in(app, w["mora_sup"]).post(
        f"/transfers/{_transfer().id}/accept", data={"caseworker_id": str(w["colleague"].id)})
    assert refused.status_code == 400
    assert "Choose an active caseworker of the receiving site." in refused.get_data(as_text=True)
    _db.session.expire_all()
    assert _transfer().status == TransferStatus.REQUESTED


def test_accepting_twice_and_after_withdrawal_are_conflicts(app, world):
    w = world
    _ask(app, w)
    transfer = _transfer()
    mora = signed_in(app, w["mora_sup"])
    data = {"caseworker_id": str(w["mora_cw"].id)}
    assert mora.post(f"/transfers/{transfer.id}/accept", data=data).status_code == 302
    again = mora.post(f"/transfers/{transfer.id}/accept", data=data)
    assert again.status_code == 409 and "already closed" in again.get_data(as_text=True)
    assert mora.post(f"/transfers/{transfer.id}/reject",
                     data={"comment": "late"}).status_code == 409


def test_withdrawn_request_cannot_be_accepted(app, world):
    w = world
    _ask(app, w)
    transfer = _transfer()
    assert _ask(app, w).status_code == 409  # one open transfer per case
    assert signed_in(app, w["owner"]).post(f"/transfers/{transfer.id}/withdraw").status_code == 302
    refused = signed_in(app, w["mora_sup"]).post(
        f"/transfers/{transfer.id}/accept", data={"caseworker_id": str(w["mora_cw"].id)})
    assert refused.status_code == 409
    _db.session.expire_all()
    assert _transfer().status == TransferStatus.WITHDRAWN


def test_acceptance_needs_consent_to_case_management(app, world, make):
    w = world
    bare = make.person(w["owner"])  # no registration consent recorded
    _db.session.commit()
    client = signed_in(app, w["owner"])
    assert client.post(f"/transfers/new/{bare.id}", data={
        "to_site_id": str(w["mor"].id), "reason": "Moved"}).status_code == 302
    transfer = _db.session.scalar(sa.select(CaseTransfer).where(CaseTransfer.person_id == bare.id))
    refused = signed_in(app, w["mora_sup"]).post(
        f"/transfers/{transfer.id}/accept", data={"caseworker_id": str(w["mora_cw"].id)})
    assert refused.status_code == 400 and "record a new consent" in refused.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(Person, bare.id).site_id == w["mer"].id


# --- contact requests about a possible duplicate elsewhere ---------------------------------------
def _duplicate_notice(make, client, login_as):
    bam = make.site("BAM", region="NW")
    owner = make.user("caseworker", site=bam, locale="en")
    other = make.person(owner, phone="+237 699 55 44 33")
    supervisor = make.user("supervisor", region=bam.region, locale="en")
    requester = login_as("caseworker", locale="en", email="cw@example.org")
    body = client.post("/people/new", data=GOOD).get_data(as_text=True)
    token = re.search(r'/transfers/contact/([A-Za-z0-9_-]+)"', body).group(1)
    return other, owner, supervisor, requester, token


def test_contact_request_reaches_the_owner_and_tells_the_requester_nothing(
        app, client, login_as, make, db):
    other, owner, supervisor, requester, token = _duplicate_notice(make, client, login_as)
    form = client.get(f"/transfers/contact/{token}").get_data(as_text=True)
    assert other.case_number not in form and "BAM" not in form
    empty = client.post(f"/transfers/contact/{token}", data={"message": ""})
    assert empty.status_code == 400 and _count(DuplicateContact) == 0
    sent = client.post(f"/transfers/contact/{token}", data={"message": "Call me on my work line"},
                       follow_redirects=True)
    body = sent.get_data(as_text=True)
    assert sent.status_code == 200 and other.case_number not in body and "BAM" not in body
    assert _notes("contact_request") == {owner.id, supervisor.id}
    page = signed_in(app, owner).get("/transfers/contacts").get_data(as_text=True)
    assert other.case_number in page and "Call me on my work line" in page
    assert "cw@example.org" in page and requester.full_name in page
    assert db.session.scalar(sa.select(AuditEntry.seq).where(
        AuditEntry.action == "transfers.contact_requested")) is not None


def test_contact_token_is_the_requesters_only(app, client, login_as, make):
    *_, token = _duplicate_notice(make, client, login_as)
    assert client.get(f"/transfers/contact/{token[:-4]}AAAA").status_code == 404
    stranger = make.user("caseworker", site="MER")
    _db.session.commit()
    stranger = signed_in(app, stranger)
    assert stranger.get(f"/transfers/contact/{token}").status_code == 404

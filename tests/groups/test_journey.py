"""The issue's journey: a caseworker registers two community members, forms a cooperative of
five (three ex-associates, two community members), records its plan, a group grant and two
follow-ups; the dashboard shows the group, its mixed share and the change in cohesion. And
the refusals."""
import datetime as dt

import sqlalchemy as sa

from icrs.assistance.models import Entitlement
from icrs.audit.models import AuditEntry
from icrs.groups.models import CommunityGroup, GroupFollowUp, GroupGrant, GroupMembership
from icrs.groups.states import GroupStatus
from icrs.people.models import Person
from tests.conftest import signed_in

LIGHT = {"last_name": "Oumarou", "sex": "female", "estimated_age": "30",
         "community_category": "host_community", "consent_method": "signed", "consents": "y"}


def _count(db, model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _form_cooperative(client, db, worker, ex_associate, facilitator=None):
    for n, name in enumerate(("Hadja", "Falta")):
        response = client.post("/people/new/community",
                               data={**LIGHT, "first_name": name, "phone": f"699 00 11 2{n}"})
        assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    community = db.session.scalars(sa.select(Person).where(
        Person.beneficiary_kind == "community_member")).all()
    ex = [ex_associate() for _ in range(3)]
    response = client.post("/groups/new", data={
        "name": "Coopérative des femmes de Méri", "group_type": "cooperative",
        "facilitator_id": str(facilitator.organisation_id) if facilitator else ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    group = db.session.scalar(sa.select(CommunityGroup))
    roles = ["president", "treasurer", "secretary", "member", "member"]
    for person, role in zip(ex + community, roles, strict=True):
        added = client.post(f"/groups/{group.id}/members",
                            data={"case_number": person.case_number, "role": role})
        assert added.status_code == 302, added.get_data(as_text=True)[:1500]
    return group, ex, community


def test_the_journey(app, client, login_as, db, worker, ex_associate, facilitator, cash_grant):
    login_as(worker)
    group, ex, community = _form_cooperative(client, db, worker, ex_associate, facilitator)
    assert _count(db, GroupMembership, GroupMembership.group_id == group.id) == 5
    assert client.post(f"/groups/{group.id}/plan", data={
        "activity": "Onion growing and sale", "goals": "Sell 2 t a season",
        "inputs": "Seeds, a motor pump"}).status_code == 302
    stale = client.post(f"/groups/{group.id}/status", data={"target": "active", "version": "1"})
    assert stale.status_code == 409  # the plan was saved since: version 2
    db.session.expire_all()
    assert client.post(f"/groups/{group.id}/status", data={
        "target": "active", "version": str(db.session.get(CommunityGroup, group.id).version)}
    ).status_code == 302
    response = client.post(f"/groups/{group.id}/grant", data={
        "assistance_type_id": str(cash_grant.id), "total": "500000",
        "justification": "Motor pump and seeds for the cooperative."})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    shares = db.session.scalars(sa.select(Entitlement).where(
        Entitlement.group_grant_id.is_not(None))).all()
    assert sorted(s.amount for s in shares) == [100000] * 5
    assert {s.person_id for s in shares} == {p.id for p in ex + community}
    for visited, trust in ((dt.date.today() - dt.timedelta(days=90), 2), (dt.date.today(), 4)):
        assert client.post(f"/groups/{group.id}/follow-ups", data={
            "visited_on": visited.isoformat(), "trust": str(trust), "participation": "3",
            "conflicts_resolved": "1", "working_together": "partly"}).status_code == 302
    assert _count(db, GroupFollowUp) == 2
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Onion growing and sale" in page and "community members: 2" in page
    members = client.get(f"/groups/{group.id}/members")
    assert members.status_code == 200 and ex[0].case_number in members.get_data(True)
    assert _count(db, AuditEntry, AuditEntry.action == "groups.members_viewed") == 1

    # the facilitating provider: the group's counts and follow-ups, never who the members are
    provider = signed_in(app, facilitator)
    seen = provider.get(f"/groups/{group.id}")
    assert seen.status_code == 200
    body = seen.get_data(as_text=True)
    assert "community members: 2" in body and ex[0].case_number not in body
    assert "Moussa" not in body and "Hadja" not in body
    assert provider.get(f"/groups/{group.id}/members").status_code == 403
    assert provider.post(f"/groups/{group.id}/follow-ups", data={
        "visited_on": dt.date.today().isoformat(), "trust": "5", "participation": "4",
        "conflicts_resolved": "0", "working_together": "yes"}).status_code == 302


def test_a_person_outside_the_scope_cannot_join(app, client, login_as, db, worker, make,
                                                ex_associate):
    other = make.user("caseworker", site=make.site("MOR"), locale="en")
    stranger = ex_associate(actor=other)
    login_as(worker)
    client.post("/groups/new", data={"name": "IGA Méri", "group_type": "iga"})
    group = db.session.scalar(sa.select(CommunityGroup))
    response = client.post(f"/groups/{group.id}/members",
                           data={"case_number": stranger.case_number, "role": "member"})
    assert response.status_code == 400 and "No such person" in response.get_data(True)
    assert _count(db, GroupMembership) == 0
    # and a group of another site is not there at all
    elsewhere = signed_in(app, other)
    assert elsewhere.get(f"/groups/{group.id}").status_code == 404
    assert elsewhere.get(f"/groups/{group.id}/members").status_code == 404
    assert elsewhere.post(f"/groups/{group.id}/members",
                          data={"case_number": stranger.case_number}).status_code == 404


def test_a_dissolved_group_receives_no_grant(client, login_as, db, worker, ex_associate,
                                             cash_grant):
    login_as(worker)
    group, *_ = _form_cooperative(client, db, worker, ex_associate)
    assert client.post(f"/groups/{group.id}/status",
                       data={"target": "dissolved"}).status_code == 302
    response = client.post(f"/groups/{group.id}/grant", data={
        "assistance_type_id": str(cash_grant.id), "total": "500000",
        "justification": "Seeds."})
    assert response.status_code == 409
    assert "dissolved group cannot receive" in response.get_data(as_text=True)
    assert _count(db, GroupGrant) == 0 and _count(db, Entitlement) == 0


def test_illegal_transitions_and_bad_input(client, login_as, db, worker, ex_associate,
                                           cash_grant):
    login_as(worker)
    group, *_ = _form_cooperative(client, db, worker, ex_associate)
    refused = client.post(f"/groups/{group.id}/status", data={"target": "self_reliant"})
    assert refused.status_code == 409
    assert db.session.get(CommunityGroup, group.id).status == GroupStatus.FORMING
    for data in ({"visited_on": "2025-01-01", "trust": "7", "participation": "3",
                  "conflicts_resolved": "0", "working_together": "yes"},
                 {"visited_on": "2025-01-01", "trust": "3", "participation": "3",
                  "conflicts_resolved": "0", "working_together": "maybe"},
                 {"visited_on": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
                  "trust": "3", "participation": "3", "conflicts_resolved": "0",
                  "working_together": "yes"}):
        assert client.post(f"/groups/{group.id}/follow-ups", data=data).status_code == 400
    assert _count(db, GroupFollowUp) == 0
    too_much = client.post(f"/groups/{group.id}/grant", data={
        "assistance_type_id": str(cash_grant.id), "total": "5000000", "justification": "x"})
    assert too_much.status_code == 400 and _count(db, Entitlement) == 0
    assert client.post("/groups/new", data={"name": "", "group_type": "club"}).status_code == 400


def test_other_roles(app, db, make, worker, ex_associate):
    monitoring = make.user("monitoring", locale="en")
    db.session.commit()
    client = signed_in(app, monitoring)
    assert client.get("/groups/").status_code == 403
    assert client.post("/groups/new", data={"name": "X", "group_type": "iga"}).status_code == 403


def test_the_whole_group_is_referred(client, login_as, db, worker, ex_associate, facilitator):
    from icrs.groups.models import GroupReferral
    login_as(worker)
    group, *_ = _form_cooperative(client, db, worker, ex_associate)
    bad = client.post(f"/groups/{group.id}/referrals", data={
        "organisation_id": str(facilitator.organisation_id), "service_category": "astrology"})
    assert bad.status_code == 400 and _count(db, GroupReferral) == 0
    response = client.post(f"/groups/{group.id}/referrals", data={
        "organisation_id": str(facilitator.organisation_id),
        "service_category": "vocational_training"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    assert _count(db, GroupReferral, GroupReferral.group_id == group.id) == 1
    assert "Coopérative Espoir Mora" in client.get(f"/groups/{group.id}").get_data(True)


def test_the_group_page_title_is_the_group_name(client, login_as, db, worker, ex_associate):
    login_as(worker)
    group, _ex, _community = _form_cooperative(client, db, worker, ex_associate)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert group.name.replace("é", "") in title.replace("&#233;", "").replace("é", "")
    assert "<" not in title and page.count('id="referral-h"') <= 1

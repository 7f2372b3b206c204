"""The household panel and its actions through the pages: each role, bad input (4xx with the
message, nothing written), no JavaScript needed, and the profile reading the counts."""
import pytest

from icrs.core.timeutil import today
from icrs.households import services
from tests.households.conftest import actions, members, signed_in


def _case(client, person):
    return client.get(f"/people/{person.id}")


def test_the_caseworker_builds_the_household_from_the_case_page(app, db, team, mother, child):
    client = signed_in(app, team["owner"])
    page = _case(client, mother).get_data(as_text=True)
    assert "Create a household with this person as head" in page
    assert client.post(f"/people/{mother.id}/household").status_code == 302
    response = client.post(f"/people/{mother.id}/household/members", data={
        "hhreg-case_number": child.case_number.lower(), "hhreg-relationship": "child",
        "hhreg-lives_together": "y"})
    assert response.status_code == 302
    response = client.post(f"/people/{mother.id}/household/light-members", data={
        "hhlight-relationship": "child", "hhlight-sex": "female",
        "hhlight-birth_year": str(today().year - 3), "hhlight-lives_together": "y"})
    assert response.status_code == 302
    page = _case(client, mother)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in text.split('id="household-h"')[1] \
        .split("</section>")[0]
    assert child.case_number in text and "Ali" in text and "3 years" in text
    assert "not registered" in text and "Head of household" in text
    assert actions(db) == ["households.created", "households.member_added",
                           "households.member_added"]


def test_moving_out_lists_an_earlier_member(app, db, team, mother, child):
    services.create_household(team["owner"], mother)
    member = services.add_registered_member(team["owner"], mother, child.case_number, "child",
                                            True)
    db.session.commit()
    client = signed_in(app, team["owner"])
    assert client.get(f"/people/{mother.id}/household/members/{member.id}/leave").status_code \
        == 405  # nothing changes on GET
    response = client.post(f"/people/{mother.id}/household/members/{member.id}/leave",
                           data={f"hhleave{member.id}-reason": "moved_out"})
    assert response.status_code == 302
    text = _case(client, mother).get_data(as_text=True)
    assert "Earlier members" in text and "Moved out" in text
    assert len(members(db)) == 2


@pytest.mark.parametrize("data, message", [
    ({"hhlight-relationship": "child", "hhlight-sex": "male", "hhlight-birth_year": "1850"},
     "Give a birth year between 1900"),
    ({"hhlight-relationship": "cousin", "hhlight-sex": "male", "hhlight-birth_year": "2010"},
     "Not a valid choice"),
    ({"hhlight-relationship": "head", "hhlight-sex": "male", "hhlight-birth_year": "2010"},
     "Not a valid choice"),
    ({"hhlight-relationship": "child", "hhlight-sex": "", "hhlight-birth_year": "2010"},
     "Choose the sex from the list."),
])
def test_bad_input_is_refused_with_the_message_and_nothing_written(app, db, team, mother,
                                                                   data, message):
    services.create_household(team["owner"], mother)
    db.session.commit()
    client = signed_in(app, team["owner"])
    response = client.post(f"/people/{mother.id}/household/light-members", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(members(db)) == 1 and actions(db) == ["households.created"]


def test_another_sites_case_number_is_refused(app, db, make, team, mother):
    elsewhere = make.person(actor=team["other_site"])
    services.create_household(team["owner"], mother)
    db.session.commit()
    client = signed_in(app, team["owner"])
    response = client.post(f"/people/{mother.id}/household/members", data={
        "hhreg-case_number": elsewhere.case_number, "hhreg-relationship": "spouse"})
    assert response.status_code == 400
    assert "No case with this number in your caseload." in response.get_data(as_text=True)
    assert len(members(db)) == 1


def test_a_second_household_is_refused_on_the_page(app, db, make, team, mother, child):
    services.create_household(team["owner"], mother)
    services.add_registered_member(team["owner"], mother, child.case_number, "child", True)
    father = make.person(actor=team["owner"], sex="male", category="adult_man")
    services.create_household(team["owner"], father)
    db.session.commit()
    client = signed_in(app, team["owner"])
    response = client.post(f"/people/{father.id}/household/members", data={
        "hhreg-case_number": child.case_number, "hhreg-relationship": "child"})
    assert response.status_code == 400
    assert "already belongs to a household" in response.get_data(as_text=True)
    assert len(members(db)) == 3


@pytest.mark.parametrize("role, status", [("colleague", 403), ("supervisor", 403),
                                          ("provider", 403), ("other_site", 404)])
def test_other_roles_cannot_change_it(app, db, team, mother, role, status):
    client = signed_in(app, team[role])
    assert client.post(f"/people/{mother.id}/household").status_code == status
    assert members(db) == []


def test_a_colleague_sees_the_panel_without_forms_and_names_only_in_scope(app, db, make, team,
                                                                          mother, child):
    services.create_household(team["owner"], mother)
    services.add_registered_member(team["owner"], mother, child.case_number, "child", True)
    db.session.commit()
    child.site_id = team["other_site"].site_id  # transferred since: out of Méri's scope
    db.session.commit()
    page = _case(signed_in(app, team["colleague"]), mother)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and child.case_number in text and "Ali" not in text
    assert "Add someone without a case" not in text
    assert f'href="/people/{child.id}"' not in text


def test_the_profile_section_reads_the_counts_from_the_household(app, db, team, mother, child):
    client = signed_in(app, team["owner"])
    assert 'name="household_size"' in client.get(
        f"/people/{mother.id}/profile/household").get_data(as_text=True)
    services.create_household(team["owner"], mother)
    services.add_registered_member(team["owner"], mother, child.case_number, "child", True)
    services.add_light_member(team["owner"], mother, "child", "male", today().year - 1, True)
    db.session.commit()
    page = client.get(f"/people/{mother.id}/profile/household").get_data(as_text=True)
    assert 'name="household_size"' not in page and 'name="dependants_count"' not in page
    assert "From the household" in page
    response = client.post(f"/people/{mother.id}/profile/household", data={
        "row_version": "0", "head_of_household": "self", "marital_status": "widowed",
        "living_arrangement": "own_family", "save_complete": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    from icrs.profiling.queries import get_draft, section_row
    db.session.expire_all()
    row = section_row(get_draft(mother), "household")
    assert row.missing == []
    assert {k: row.answers[k] for k in ("household_size", "children_count",
                                         "dependants_count", "dependants_under_five")} == {
        "household_size": 3, "children_count": 2, "dependants_count": 2,
        "dependants_under_five": 1}

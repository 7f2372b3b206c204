"""Community members: the light registration, its consents, the kind in lists and the reduced
exit reasons."""
import pytest
import sqlalchemy as sa

from icrs.core.vocab import PersonCategory
from icrs.people.kinds import BeneficiaryKind, exit_reasons_for
from icrs.people.models import Consent, ConsentPurpose, Person

LIGHT = {"first_name": "Hadja", "last_name": "Oumarou", "sex": "female", "estimated_age": "34",
         "community_category": "host_community", "phone": "699 12 34 56", "address": "Méri",
         "consent_method": "signed", "consents": "y"}


def test_caseworker_registers_a_community_member(client, login_as, db):
    login_as("caseworker", locale="en")
    page = client.get("/people/new/community")
    assert page.status_code == 200 and "Register a community member" in page.get_data(True)
    response = client.post("/people/new/community", data=LIGHT)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    person = db.session.scalar(sa.select(Person))
    assert person.beneficiary_kind == BeneficiaryKind.COMMUNITY_MEMBER
    assert person.community_category == "host_community"
    assert person.category == PersonCategory.ADULT_WOMAN and person.id_number is None
    purposes = set(db.session.scalars(sa.select(Consent.purpose).where(
        Consent.person_id == person.id)))
    assert purposes == {ConsentPurpose.REGISTRATION, ConsentPurpose.STORAGE,
                        ConsentPurpose.REPORTING}
    listing = client.get("/people/?beneficiary_kind=community_member").get_data(as_text=True)
    assert person.case_number in listing and "Host community" in listing


@pytest.mark.parametrize("change,text", [
    ({"community_category": ""}, "required"),
    ({"community_category": "ex_combatant"}, "not a valid choice"),
    ({"consents": ""}, "Consent is needed"),
    ({"consent_method": "verbal_witnessed"}, "witness"),
    ({"estimated_age": ""}, "estimated age"),
])
def test_light_registration_bad_input(client, login_as, db, change, text):
    login_as("caseworker", locale="en")
    response = client.post("/people/new/community", data={**LIGHT, **change})
    assert response.status_code == 400
    assert text.lower() in response.get_data(as_text=True).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0


@pytest.mark.parametrize("role", ["provider", "supervisor", "monitoring"])
def test_only_caseworkers_register_community_members(client, login_as, db, role):
    login_as(role)
    assert client.post("/people/new/community", data=LIGHT).status_code == 403


def test_a_community_member_cannot_be_found_ineligible():
    codes = {"dropped_out", "found_ineligible", "transferred_out"}
    assert exit_reasons_for(BeneficiaryKind.COMMUNITY_MEMBER, codes) == {
        "dropped_out", "transferred_out"}
    assert exit_reasons_for(BeneficiaryKind.EX_ASSOCIATE, codes) == codes

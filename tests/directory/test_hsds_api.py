"""HSDS API: 401 without session or token, 200 with a valid token, 401 once revoked; every
response valid against the official HSDS 3.0 schemas."""
import pytest
import sqlalchemy as sa

from icrs.directory import services
from icrs.directory.models import ApiToken
from tests.directory.hsds_check import assert_valid, assert_valid_page

ENDPOINTS = ["/hsds/", "/hsds/services", "/hsds/organizations", "/hsds/taxonomies",
             "/hsds/taxonomy_terms"]


@pytest.fixture
def token(db, make):
    _token, raw = services.create_api_token(make.user("admin"), "Partner")
    db.session.commit()
    return raw


def _bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401_json(client, db, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.is_json and "error" in response.get_json()
    assert client.get(url, headers=_bearer("icrs_wrong")).status_code == 401


def test_token_grants_then_revocation_refuses(client, db, make, token):
    assert client.get("/hsds/services", headers=_bearer(token)).status_code == 200
    entry = db.session.scalar(sa.select(ApiToken))
    services.revoke_api_token(make.user("admin"), entry)
    db.session.commit()
    assert client.get("/hsds/services", headers=_bearer(token)).status_code == 401


def test_logged_in_user_may_read(client, login_as, directory):
    login_as("caseworker")
    assert client.get("/hsds/services").status_code == 200


def test_responses_are_valid_hsds(client, db, rich_service, directory, token):
    h = _bearer(token)
    root = client.get("/hsds/", headers=h).get_json()
    assert root["version"] == "3.0" and root["openapi_url"].startswith("https://")
    assert_valid_page(client.get("/hsds/services", headers=h).get_json(),
                      "compiled/service_list")
    assert_valid_page(client.get("/hsds/services?full=true", headers=h).get_json(), "service")
    assert_valid_page(client.get("/hsds/organizations", headers=h).get_json(),
                      "compiled/organization_list")
    assert_valid_page(client.get("/hsds/taxonomies", headers=h).get_json(), "taxonomy")
    assert_valid_page(client.get("/hsds/taxonomy_terms", headers=h).get_json(), "taxonomy_term")
    service = client.get(f"/hsds/services/{rich_service.id}", headers=h).get_json()
    assert_valid(service, "service")
    assert service["organization"]["id"] == str(directory.org.id)
    assert {a["link_type"] for a in service["attributes"]} >= {
        "service_category", "eligible_sex", "eligible_person_category", "icrs_property"}
    assert service["service_areas"][0]["uri"] == "urn:icrs:region:EN"
    org = client.get(f"/hsds/organizations/{directory.org.id}?full_service=true",
                     headers=h).get_json()
    assert_valid(org, "organization")
    for nested in org["services"]:
        assert_valid(nested, "service")


def test_paging_and_not_found(client, db, directory, token):
    h = _bearer(token)
    body = client.get("/hsds/services?per_page=2&page=2", headers=h).get_json()
    assert body["total_items"] == 7 and body["total_pages"] == 4 and body["page_number"] == 2
    assert len(body["contents"]) == 2 and not body["first_page"] and not body["last_page"]
    active = client.get("/hsds/services?status=active", headers=h).get_json()
    assert active["total_items"] == 4  # not the inactive organisation's service
    assert client.get("/hsds/services/not-a-uuid", headers=h).status_code == 404
    assert client.get("/hsds/services?page=x", headers=h).status_code == 400


@pytest.mark.parametrize("kind", ["services", "organizations", "taxonomies", "taxonomy_terms"])
def test_every_detail_route_answers_json_404(client, db, directory, token, kind):
    h = _bearer(token)
    for raw in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        response = client.get(f"/hsds/{kind}/{raw}", headers=h)
        assert response.status_code == 404 and response.get_json()["error"].startswith("no such")
    assert client.get(f"/hsds/{kind}/not-a-uuid").status_code == 401

"""HSDS 3.0 API parameters clients rely on: modified_after (incremental sync), minimal,
taxonomy_id / taxonomy_term_id, full_service, top_only / parent_id, format=ndjson; the
service_at_locations endpoints; JSON 404/405 on any /hsds path; ETag, Last-Modified and 304."""
import json
from datetime import datetime, timedelta

import pytest

from icrs.directory import services
from icrs.directory.models import TaxonomyTerm
from icrs.directory.taxonomy import PERSON_CATEGORY, SERVICE_CATEGORY, SEX, taxonomy_uuid, term
from tests.directory.hsds_check import assert_valid, assert_valid_page


@pytest.fixture
def h(db, make):
    _token, raw = services.create_api_token(make.user("admin"), "Partner")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def _ids(body):
    return {item["id"] for item in body["contents"]}


def test_modified_after_gives_only_the_changes(client, db, directory, h):
    old = datetime(2024, 1, 1)
    for service in (directory.adults_en, directory.women_bam):
        service.updated_at = old
    db.session.commit()
    everything = client.get("/hsds/services?per_page=100", headers=h).get_json()
    recent = client.get("/hsds/services?modified_after=2025-01-01T00:00:00Z", headers=h)
    assert recent.status_code == 200
    assert _ids(recent.get_json()) == _ids(everything) - {str(directory.adults_en.id),
                                                          str(directory.women_bam.id)}
    since_old = client.get("/hsds/services?modified_after=2024-01-01T00:00:00%2B00:00",
                           headers=h).get_json()
    assert since_old["total_items"] == everything["total_items"]  # "on or after"
    future = (datetime.utcnow() + timedelta(days=1)).date().isoformat()  # noqa: DTZ003
    assert client.get(f"/hsds/services?modified_after={future}",
                      headers=h).get_json()["total_items"] == 0
    bad = client.get("/hsds/services?modified_after=yesterday", headers=h)
    assert bad.status_code == 400 and "modified_after" in bad.get_json()["error"]


def test_minimal_lists_ids_and_modification_times_in_one_call(client, db, directory, h):
    body = client.get("/hsds/services?minimal=true", headers=h).get_json()
    assert body["total_items"] == 7 and body["size"] >= 7 and body["last_page"]
    for item in body["contents"]:
        assert set(item) == {"id", "last_modified"} and item["last_modified"].endswith("Z")


def test_taxonomy_term_and_taxonomy_filters(client, db, directory, h):
    gbv = term(SERVICE_CATEGORY, "gbv")
    body = client.get(f"/hsds/services?taxonomy_term_id={gbv.id}", headers=h).get_json()
    assert _ids(body) == {str(directory.women_bam.id)}
    female = term(SEX, "female")
    males_only = {s["id"] for s in client.get("/hsds/services?per_page=100&full=true",
                                              headers=h).get_json()["contents"]
                  if not any(a.get("taxonomy_term_id") == str(female.id)
                             for a in s["attributes"])}
    served = _ids(client.get(f"/hsds/services?per_page=100&taxonomy_term_id={female.id}",
                             headers=h).get_json())
    assert served and not served & males_only
    caafag = term(PERSON_CATEGORY, "caafag")
    some = _ids(client.get(f"/hsds/services?per_page=100&taxonomy_term_id={caafag.id}",
                           headers=h).get_json())
    assert str(directory.adults_en.id) not in some
    by_taxonomy = client.get(f"/hsds/services?taxonomy_id={taxonomy_uuid(SERVICE_CATEGORY)}",
                             headers=h).get_json()
    assert by_taxonomy["total_items"] == 7
    unknown = client.get("/hsds/services?taxonomy_term_id=00000000-0000-0000-0000-000000000000",
                         headers=h).get_json()
    assert unknown["total_items"] == 0
    assert client.get("/hsds/services?taxonomy_id=nope", headers=h).status_code == 400


def test_organizations_full_service(client, db, directory, h):
    body = client.get("/hsds/organizations?full_service=true", headers=h).get_json()
    org = next(o for o in body["contents"] if o["id"] == str(directory.org.id))
    assert org["services"] and all("attributes" in s for s in org["services"])
    for nested in org["services"]:
        assert_valid(nested, "service")
    brief = client.get("/hsds/organizations", headers=h).get_json()["contents"][0]
    assert "services" not in brief
    assert client.get("/hsds/organizations?full_service=maybe", headers=h).status_code == 400


def test_taxonomy_terms_top_only_and_parent_id(client, db, directory, h):
    parent = term(SERVICE_CATEGORY, "health")
    child = TaxonomyTerm(taxonomy_id=parent.taxonomy_id, code="health_mobile",
                         name_fr="Clinique mobile", name_en="Mobile clinic",
                         description_fr="", description_en="", parent_id=parent.id, position=99)
    db.session.add(child)
    db.session.commit()
    everything = client.get("/hsds/taxonomy_terms?per_page=100", headers=h).get_json()
    top = client.get("/hsds/taxonomy_terms?per_page=100&top_only=true", headers=h).get_json()
    assert top["total_items"] == everything["total_items"] - 1
    assert str(child.id) not in _ids(top)
    children = client.get(f"/hsds/taxonomy_terms?parent_id={parent.id}", headers=h).get_json()
    assert _ids(children) == {str(child.id)}
    assert children["contents"][0]["parent_id"] == str(parent.id)


def test_ndjson_streams_every_row_without_pagination(client, db, directory, h):
    response = client.get("/hsds/services?format=ndjson&per_page=2", headers=h)
    assert response.status_code == 200 and response.mimetype == "application/x-ndjson"
    rows = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(rows) == 7 and all("name" in r for r in rows)
    terms = client.get("/hsds/taxonomy_terms?format=ndjson", headers=h).get_data(as_text=True)
    assert len(terms.splitlines()) > 20
    assert client.get("/hsds/services?format=xml", headers=h).status_code == 400


def test_service_at_locations(client, db, rich_service, directory, h):
    body = client.get("/hsds/service_at_locations", headers=h).get_json()
    assert_valid_page(body, "compiled/service_at_location_list")
    [sal] = body["contents"]
    assert sal["service"]["id"] == str(rich_service.id) and sal["location"]["name"]
    one = client.get(f"/hsds/service_at_locations/{sal['id']}", headers=h)
    assert one.status_code == 200
    assert_valid(one.get_json(), "service_at_location")
    assert one.get_json()["service"]["attributes"]
    other_org = client.get(f"/hsds/service_at_locations?organization_id={directory.other.id}",
                           headers=h).get_json()
    assert other_org["total_items"] == 0
    missing = client.get("/hsds/service_at_locations/00000000-0000-0000-0000-000000000000",
                         headers=h)
    assert missing.status_code == 404 and missing.is_json
    assert client.get("/hsds/service_at_locations").status_code == 401


@pytest.mark.parametrize("path", ["/hsds/nope", "/hsds/services/x/y", "/hsds/locations"])
def test_unknown_paths_answer_json_404(client, db, h, path):
    for headers in (h, {}):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.is_json, path


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_other_methods_answer_json_405(client, db, h, method):
    for path in ("/hsds/services", "/hsds/", "/hsds/taxonomies/00000000-0000-0000-0000-0000000"
                 "00000"):
        response = client.open(path, method=method, headers=h)
        assert response.status_code == 405 and response.is_json, (method, path)
        assert "GET" in response.headers["Allow"]
    assert client.open("/hsds/nope", method=method, headers=h).status_code == 404


def test_etag_and_304(client, db, rich_service, h):
    for url in ("/hsds/services", f"/hsds/services/{rich_service.id}", "/hsds/taxonomies"):
        first = client.get(url, headers=h)
        etag = first.headers["ETag"]
        assert etag and first.headers["Cache-Control"] == "no-cache"
        again = client.get(url, headers=dict(h, **{"If-None-Match": etag}))
        assert again.status_code == 304 and again.get_data() == b""
        other = client.get(url, headers=dict(h, **{"If-None-Match": '"stale"'}))
        assert other.status_code == 200
    detail = client.get(f"/hsds/services/{rich_service.id}", headers=h)
    assert detail.headers["Last-Modified"]
    since = client.get(f"/hsds/services/{rich_service.id}",
                       headers=dict(h, **{"If-Modified-Since": detail.headers["Last-Modified"]}))
    assert since.status_code == 304


def test_etag_changes_when_the_service_changes(client, db, rich_service, h):
    url = f"/hsds/services/{rich_service.id}"
    before = client.get(url, headers=h).headers["ETag"]
    rich_service.name = "Renamed"
    db.session.commit()
    assert client.get(url, headers=h).headers["ETag"] != before


def test_signed_in_pages_stay_no_store(client, login_as, directory):
    login_as("caseworker")
    response = client.get("/hsds/services")
    assert response.headers["Cache-Control"] == "no-store" and response.headers["ETag"]


def test_app_level_refusals_answer_json(client, db, h):
    response = client.get("/hsds/services?search=%00", headers=h)
    assert response.status_code == 400 and response.is_json

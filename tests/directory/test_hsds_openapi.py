"""Property-based requests generated from the official HSDS 3.0 OpenAPI (vendored) against every
operation ICRS implements: no 5xx, always JSON (NDJSON for format=ndjson), every 200 valid
against the official schemas. Bounded (a few examples per operation) to stay well under a
minute. The OpenAPI's response schemas point at remote files, so bodies are checked here with
the vendored schemas instead."""
import copy
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from icrs.directory import services
from tests.directory.hsds_check import OFFICIAL, assert_valid, assert_valid_page

ITEM_SCHEMAS = {  # path template -> (list item schema or None, single object schema)
    "/": (None, None),
    "/services": ("compiled/service_list", None),
    "/services/{id}": (None, "service"),
    "/organizations": ("compiled/organization_list", None),
    "/organizations/{id}": (None, "organization"),
    "/taxonomies": ("taxonomy", None),
    "/taxonomies/{id}": (None, "taxonomy"),
    "/taxonomy_terms": ("taxonomy_term", None),
    "/taxonomy_terms/{id}": (None, "taxonomy_term"),
    "/service_at_locations": ("compiled/service_at_location_list", None),
    "/service_at_locations/{id}": (None, "service_at_location"),
}


def _openapi():
    spec = json.loads((OFFICIAL / "schema" / "openapi.json").read_text(encoding="utf-8"))
    spec = copy.deepcopy(spec)
    spec["servers"] = [{"url": "/hsds"}]
    for operations in spec["paths"].values():
        for name, operation in operations.items():
            if name == "parameters":
                continue
            for response in operation.get("responses", {}).values():
                response.pop("content", None)  # remote $refs; checked below instead
    return spec


schema = schemathesis.openapi.from_dict(_openapi())


@pytest.fixture
def api(app, db, rich_service, make):
    _token, raw = services.create_api_token(make.user("admin"), "Schemathesis")
    db.session.commit()

    def isolated(environ, start_response):  # one app context per request, as in production
        with app.app_context():
            return app(environ, start_response)

    # identity: the in-process transport does not decompress (compression is tested in tests/ops)
    return isolated, {"Authorization": f"Bearer {raw}", "Accept-Encoding": "identity"}


def _check_body(case, response):
    assert response.status_code < 500, (case.path, case.query, response.status_code)
    if case.method.upper() == "OPTIONS":  # Flask's automatic answer: an empty 200
        assert response.status_code == 200
        return
    headers = {k.lower(): v for k, v in response.headers.items()}
    mimetype = headers.get("content-type", [""])[0].split(";")[0]
    if (case.query or {}).get("format") == "ndjson" and response.status_code == 200:
        assert mimetype == "application/x-ndjson"
        return
    assert mimetype == "application/json", (case.path, case.query, mimetype,
                                            response.status_code, response.request.url,
                                            response.request.method, response.request.headers)
    if response.status_code != 200:
        assert "error" in response.json()
        return
    list_schema, one_schema = ITEM_SCHEMAS[case.path]
    body = response.json()
    if list_schema and str((case.query or {}).get("minimal", "")).lower() not in ("true", "1"):
        assert_valid_page(body, list_schema)
    elif one_schema:
        assert_valid(body, one_schema)


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, phases=[Phase.explicit,
          Phase.generate], suppress_health_check=list(HealthCheck))
def test_official_openapi(case, api):
    wsgi, headers = api
    response = case.call(app=wsgi, headers=headers)
    _check_body(case, response)

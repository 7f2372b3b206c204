"""JSON-lines logs: one line per request with the request id, user id, endpoint, status and
duration; never a query string, a form value or a path parameter. X-Request-ID is taken from the
proxy when it is a plain id, made otherwise, and echoed."""
import io
import json
import logging

import pytest

from icrs.ops.request_log import JsonFormatter, install_json_handler
from icrs.people import services

PHONE = "+237 699 12 34 56"


@pytest.fixture
def person(make, db):
    caseworker = make.user("caseworker", username="cw.logs")
    data = {"first_name": "Aïcha", "last_name": "Mahamat", "sex": "female",
            "birth_year": 1995, "category": "adult_woman", "languages": ["fr"],
            "phone": PHONE}
    registered = services.register_person(caseworker, caseworker.site, data)
    db.session.commit()
    return registered


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_phone_search_never_reaches_the_log(client, login_as, person, log_lines):
    user = login_as("caseworker", site=person.site)
    response = client.post("/people/?kind=phone&q=699123456&next=%2Fpeople%2F699123456",
                           data={"kind": "phone", "q": PHONE},
                           headers={"X-Request-ID": "edge-4f1c2a"})
    assert response.status_code in (200, 302)
    assert response.headers["X-Request-ID"] == "edge-4f1c2a"
    lines = log_lines()
    # what the app makes up (times, durations, generated request ids) may hold "699" by chance
    made_up = ("time", "duration_ms", "request_id")
    raw = json.dumps([{k: v for k, v in entry.items() if k not in made_up} for entry in lines])
    for secret in (PHONE, "699", "12 34 56", "kind=phone", "q=", "next="):
        assert secret not in raw, secret
    [line] = [entry for entry in lines if entry["request_id"] == "edge-4f1c2a"
              and entry["message"] == "request"]
    assert line["endpoint"] == "people.index" and line["http_method"] == "POST"
    assert line["status"] == response.status_code and line["user_id"] == user.id
    assert line["level"] == "INFO" and line["time"].endswith("Z")
    assert isinstance(line["duration_ms"], float)


@pytest.mark.parametrize("sent", ["", "x" * 129, "a b", "<script>", "id;X-Evil=1", "../etc",
                                  "-leading-dash", "é"])
def test_unsafe_request_id_is_replaced(client, db, sent):
    response = client.get("/login", headers={"X-Request-ID": sent})
    echoed = response.headers["X-Request-ID"]
    assert echoed != sent and len(echoed) == 32 and echoed.isalnum()


def test_every_response_has_a_request_id_even_a_redirect(client, db, log_lines):
    response = client.get("/people/")
    assert response.status_code == 302 and response.headers["X-Request-ID"]
    assert any(line["request_id"] == response.headers["X-Request-ID"] for line in log_lines())


def test_install_json_handler_is_idempotent():
    root = logging.getLogger()
    before = list(root.handlers)
    first = install_json_handler(io.StringIO())
    try:
        assert install_json_handler(io.StringIO()) is first
    finally:
        root.handlers = before

"""/metrics: Prometheus text, requests by endpoint name (never a path or an id) and status,
durations; only from loopback without a proxy in between, or with ICRS_METRICS_TOKEN."""
import uuid

import pytest

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}
OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def test_counts_by_endpoint_without_path_params(client, login_as, db):
    login_as("caseworker")
    secret_id = uuid.uuid4()
    client.get(f"/people/{secret_id}")
    client.get("/people/?q=699123456&kind=case")
    text = client.get("/metrics", environ_base=LOOPBACK).get_data(as_text=True)
    assert 'icrs_http_requests_total{endpoint="people.index",method="GET",status="200"}' in text
    assert "icrs_http_request_duration_seconds_bucket" in text
    assert str(secret_id) not in text and "699123456" not in text and "/people" not in text


def test_unmatched_paths_share_one_label(client, db):
    client.get("/no/such/page/case-qx7z")
    text = client.get("/metrics", environ_base=LOOPBACK).get_data(as_text=True)
    # a path of letters: digits could stand in a sample's timestamp by chance
    assert 'endpoint="unmatched"' in text and "qx7z" not in text and "/no/such" not in text


def test_refused_from_another_host(client, db):
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 403


def test_refused_through_a_proxy_even_from_loopback(client, db):
    response = client.get("/metrics", environ_base=LOOPBACK,
                          headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 403


@pytest.mark.parametrize("header,status", [("Bearer metrics-token-1234", 200),
                                           ("Bearer wrong", 403), ("metrics-token-1234", 403)])
def test_bearer_token(app, client, db, monkeypatch, header, status):
    monkeypatch.setitem(app.config, "ICRS_METRICS_TOKEN", "metrics-token-1234")
    response = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": header})
    assert response.status_code == status


def test_no_token_configured_refuses_any_bearer(client, db):
    response = client.get("/metrics", environ_base=OUTSIDE, headers={"Authorization": "Bearer "})
    assert response.status_code == 403

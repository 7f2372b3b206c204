"""Layout, language switch, security headers, error pages, configuration refusals."""
import pytest

from icrs import ConfigurationError, create_app
from icrs.auth.models import User
from icrs.config import Config


def test_language_switch_stored_for_user(client, login_as, db):
    user = login_as("caseworker", locale="fr")
    assert "Se déconnecter" in client.get("/account").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/account"})
    assert "Sign out" in client.get("/account").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"


def test_default_language_from_browser(client, db):
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "en-GB"}).get_data(
        as_text=True)
    assert "Connexion" in client.get("/login", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)


def test_language_switch_ignores_foreign_next(client, db):
    response = client.post("/language", data={"locale": "en", "next": "//evil.example"})
    assert "evil" not in response.headers["Location"]


def test_security_headers(client, login_as):
    login_as("caseworker")
    response = client.get("/account")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_nul_byte_in_any_value_is_refused_before_the_view(client, login_as, db):
    """PostgreSQL cannot store a NUL in text: it must never reach a query (it was a 500 at
    sign-in on PostgreSQL)."""
    from icrs.audit.models import AuditEntry
    user = login_as("caseworker")
    assert client.get("/people/?kind=case&q=A%00B").status_code == 400
    assert client.post("/people/", data={"kind": "name", "q": "Ama\x00"}).status_code == 400
    client.post("/logout")
    entries = db.session.query(AuditEntry).count()
    response = client.post("/login", data={"username": f"{user.username}\x00",
                                           "password": "x\x00"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The request could not be understood" in response.get_data(as_text=True)
    assert db.session.query(AuditEntry).count() == entries  # nothing recorded, nothing counted
    assert client.get("/login?next=%2Faccount").status_code == 200


def test_no_remote_assets_in_pages(client, login_as):
    login_as("admin")
    body = client.get("/admin/users").get_data(as_text=True)
    assert "http://" not in body.replace("http://www.w3.org", "") and "https://" not in body


@pytest.mark.parametrize("lang,text", [("en", "Page not found"), ("fr", "Page introuvable")])
def test_translated_404(client, login_as, lang, text):
    login_as("caseworker", locale=lang)
    response = client.get("/no/such/page")
    assert response.status_code == 404 and text in response.get_data(as_text=True)


def test_refuses_default_secret_key_outside_debug(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    class Production(Config):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/x.sqlite"
        ICRS_MASTER_KEY = "v1:" + "22" * 32

    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(Production)


def test_instance_config_created_with_random_key(tmp_path):
    from icrs.instance_setup import ensure_instance_config

    assert ensure_instance_config(str(tmp_path))
    text = (tmp_path / "config.py").read_text()
    assert "SECRET_KEY" in text and oct((tmp_path / "config.py").stat().st_mode)[-3:] == "600"
    assert not ensure_instance_config(str(tmp_path))  # never overwritten


def test_pager_middle_page_links_both_ways_and_keeps_filters(app):
    """Regression: the pager once rebound `_` (gettext) and crashed on any page after the first."""
    from flask import render_template_string

    from icrs.core.pagination import Page

    with app.test_request_context("/directory/?q=farm&page=2", headers={"Accept-Language": "en"}):
        html = render_template_string(
            '{% from "_macros.html" import pager %}{{ pager(page, "directory.index") }}',
            page=Page(items=[], page=2, per_page=10, total=35))
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "page=1" in html and "page=3" in html and "q=farm" in html
    assert "Previous" in html and "Next" in html and "Page 2 of 4" in html


@pytest.mark.parametrize("hops, expected", [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_client_address_behind_a_trusted_proxy_only(hops, expected):
    from flask import request

    from icrs.config import TestingConfig

    class Cfg(TestingConfig):
        ICRS_TRUSTED_PROXIES = hops
        SQLALCHEMY_DATABASE_URI = "sqlite://"  # not instance/ (make run's keys differ)

    app = create_app(Cfg)
    app.add_url_rule("/_addr", "_addr", lambda: request.remote_addr)
    app.view_functions["_addr"].is_public = True
    response = app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.get_data(as_text=True) == expected

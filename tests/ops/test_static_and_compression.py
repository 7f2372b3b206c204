"""Static files carry a content hash in their URL and are cached for a year when it matches;
personal pages stay no-store; responses are compressed for clients that accept gzip."""
import re

from icrs.ops.static_cache import file_version


def _asset_urls(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_versioned_assets(app, client, db):
    html = client.get("/login").get_data(as_text=True)
    urls = _asset_urls(html)
    assert urls and all(re.search(r"\?v=[0-9a-f]{12}$", u) for u in urls), urls
    with app.app_context():
        assert f"/static/css/icrs.css?v={file_version('css/icrs.css')}" in urls


def test_versioned_static_is_immutable(client, db):
    url = next(u for u in _asset_urls(client.get("/login").get_data(as_text=True))
               if "icrs.css" in u)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_unversioned_or_stale_static_revalidates(client, db):
    for url in ("/static/css/icrs.css", "/static/css/icrs.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", ""), url


def test_personal_pages_stay_no_store(client, login_as, db):
    login_as("caseworker")
    response = client.get("/people/")
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_file_has_no_version(app):
    with app.app_context():
        assert file_version("nope.css") is None and file_version("../../pyproject.toml") is None


def test_gzip_when_accepted(client, db):
    url = next(u for u in _asset_urls(client.get("/login").get_data(as_text=True))
               if "icrs.css" in u)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.headers.get("Vary", "")
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("Content-Encoding") == "gzip"
    plain = client.get("/login")
    assert "Content-Encoding" not in plain.headers

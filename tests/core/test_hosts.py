"""Host-header poisoning: absolute URLs come from ICRS_BASE_URL, requests for hosts that are not
configured get a 400, and production start-up refuses without ICRS_BASE_URL."""
import pytest

from icrs import ConfigurationError, create_app
from icrs.config import Config, TestingConfig
from icrs.core.urls import absolute_url


def test_untrusted_host_gets_400_before_anything_runs(client):
    response = client.get("/login", base_url="http://evil.example",
                          headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        "ICRS is not served at this address. Use http://localhost/\n")
    french = client.get("/login", base_url="http://evil.example").get_data(as_text=True)
    assert french.startswith("ICRS n’est pas servi à cette adresse")
    assert client.get("/login").status_code == 200  # the configured host still works
    assert client.post("/login", base_url="http://evil.example:5000",
                       data={"username": "x", "password": "y"}).status_code == 400


def test_configured_extra_hosts_are_trusted(tmp_path):
    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/x.sqlite"
        ICRS_BASE_URL = "https://icrs.example.org/"
        ICRS_TRUSTED_HOSTS = " 127.0.0.1, ICRS-Internal "

    app = create_app(Cfg)
    assert app.config["TRUSTED_HOSTS"] == ["icrs.example.org", "127.0.0.1", "icrs-internal",
                                           "localhost"]
    client = app.test_client()
    assert client.get("/healthz", base_url="http://127.0.0.1:8000").status_code != 400
    assert client.get("/healthz", base_url="http://icrs.example.org").status_code != 400
    assert client.get("/healthz", base_url="http://evil.example").status_code == 400


def test_absolute_url_uses_the_base_url_even_inside_a_request(app, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_BASE_URL", "https://icrs.example.org/app/")
    with app.app_context():  # outside any request: the CLI's case
        assert absolute_url("auth.account") == "https://icrs.example.org/app/account"
    with app.test_request_context("/", base_url="http://localhost:5000"):
        assert absolute_url("referrals.overdue") == "https://icrs.example.org/app/referrals/overdue"


def _production(tmp_path, **settings):
    return type("Production", (Config,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite",
        "ICRS_MASTER_KEY": "v1:" + "22" * 32, "ICRS_BLIND_INDEX_KEY": "33" * 32,
        "ICRS_AUDIT_KEY": "44" * 32, "SECRET_KEY": "a-real-secret", **settings})


@pytest.mark.parametrize("base_url", [None, "", "icrs.example.org", "ftp://icrs.example.org/",
                                      "https:///path", "https://icrs.example.org/?x=1"])
def test_production_refuses_to_start_without_a_base_url(tmp_path, base_url):
    with pytest.raises(ConfigurationError, match="ICRS_BASE_URL"):
        create_app(_production(tmp_path, ICRS_BASE_URL=base_url))


def test_production_starts_with_a_base_url_and_trusts_only_its_host(tmp_path):
    app = create_app(_production(tmp_path, ICRS_BASE_URL="https://icrs.example.org/"))
    assert app.config["TRUSTED_HOSTS"] == ["icrs.example.org"]


def test_base_url_and_extra_hosts_from_the_environment(monkeypatch):
    from icrs.config import apply_environment

    monkeypatch.setenv("ICRS_BASE_URL", "https://icrs.example.org/")
    monkeypatch.setenv("ICRS_TRUSTED_HOSTS", "127.0.0.1")
    config = {}
    apply_environment(config)
    assert config["ICRS_BASE_URL"] == "https://icrs.example.org/"
    assert config["ICRS_TRUSTED_HOSTS"] == "127.0.0.1"


def test_demo_instance_config_has_the_local_base_url(tmp_path):
    from icrs.instance_setup import ensure_instance_config

    assert ensure_instance_config(str(tmp_path), "http://127.0.0.1:5001/")
    assert "ICRS_BASE_URL = 'http://127.0.0.1:5001/'" in (tmp_path / "config.py").read_text()
    old = tmp_path / "old"
    old.mkdir()
    (old / "config.py").write_text("SECRET_KEY = 'kept'\n")
    assert not ensure_instance_config(str(old))  # made before the setting: the line is added
    assert (old / "config.py").read_text() == (
        "SECRET_KEY = 'kept'\n"
        "ICRS_BASE_URL = 'http://127.0.0.1:5000/'  # e-mail links; the only host served\n")
    ensure_instance_config(str(old))
    assert (old / "config.py").read_text().count("ICRS_BASE_URL") == 1

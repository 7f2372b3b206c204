"""E-mail links follow ICRS_BASE_URL, never the Host of the request that queued them: a sent
referral, repeated failed sign-ins and the `remind` digest."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from icrs.core.timeutil import utcnow
from icrs.referrals.notifications import EmailOutbox
from tests.conftest import TEST_PASSWORD
from tests.referrals.test_views import FORM

BASE = "https://icrs.example.org/"
ALIAS = "http://evil.example"  # a host the proxy lets through: it must not reach the links


@pytest.fixture
def aliased(app, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_BASE_URL", BASE)
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost", "evil.example"])


def _links(db):
    bodies = [m.body for m in db.session.scalars(sa.select(EmailOutbox))]
    assert bodies
    return [link for body in bodies for link in re.findall(r"\S+://\S+", body)]


def test_referral_mail_links_use_the_base_url_not_the_host(aliased, client, world, person, db):
    assert client.post("/login", base_url=ALIAS, data={
        "username": world.caseworker.username, "password": TEST_PASSWORD}).status_code == 302
    response = client.post(f"/referrals/new/{person.id}", base_url=ALIAS,
                           data={**FORM, "service_id": str(world.service.id)})
    assert response.status_code == 302
    links = _links(db)
    assert links and all(link.startswith(BASE + "referrals/received/") for link in links), links
    assert not any("evil.example" in link for link in links)


def test_login_failure_mail_links_use_the_base_url(aliased, app, client, make, db):
    from icrs.auth.models import User

    user = make.user("caseworker", email="cw@example.org")
    make.user("admin", email="admin@example.org")
    db.session.commit()
    for _ in range(app.config["ICRS_LOCKOUT_THRESHOLD"]):
        db.session.expire_all()
        db.session.get(User, user.id).locked_until = None
        db.session.commit()
        client.post("/login", base_url=ALIAS,
                    data={"username": user.username, "password": "wrong-password"})
    assert sorted(_links(db)) == [BASE + "account", BASE + "audit/?action=auth.login_failed"]


def test_remind_digest_links_use_the_base_url(aliased, app, world, sent, db):
    late = sent(priority="emergency")
    late.accept_by = utcnow() - timedelta(hours=2)
    db.session.commit()
    db.session.execute(sa.delete(EmailOutbox))  # the "received" mail of the referral itself
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["icrs", "remind"])
    assert result.exit_code == 0, result.output
    links = _links(db)
    assert links and all(link.startswith(BASE + "referrals/") for link in links), links


def test_untrusted_host_is_refused_before_sign_in_runs(app, client, make, db, monkeypatch):
    from icrs.auth.models import User

    monkeypatch.setitem(app.config, "ICRS_BASE_URL", BASE)
    user = make.user("caseworker", email="cw@example.org")
    db.session.commit()
    for _ in range(app.config["ICRS_LOCKOUT_THRESHOLD"]):
        assert client.post("/login", base_url=ALIAS, data={
            "username": user.username, "password": "wrong-password"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).failed_logins == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailOutbox)) == 0

"""The administrators' page for partner tokens: created by POST and shown once, stored hashed,
revocable, audited; refused to other roles and on bad input."""
import re

import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.exchange.fhir_models import PartnerToken
from icrs.exchange.fhir_services import hash_token

URL = "/admin/partner-tokens/"


def test_admin_creates_shows_once_and_revokes(client, db, world, login_as):
    login_as("admin", locale="en")
    assert client.get(URL).status_code == 200
    response = client.post(URL, data={"organisation_id": str(world.org.id), "label": "Primero",
                                      "days": "30"})
    assert response.status_code == 200
    raw = re.search(r"<code>(icrs_fhir_[^<]+)</code>", response.get_data(as_text=True)).group(1)
    row = db.session.scalar(sa.select(PartnerToken))
    assert row.token_hash == hash_token(raw) and raw not in row.token_hash
    assert row.organisation_id == world.org.id
    assert raw not in client.get(URL).get_data(as_text=True)  # shown once
    assert client.get("/fhir/r4/Task", headers={"Authorization": f"Bearer {raw}"}) \
        .status_code == 200
    assert client.post(f"{URL}{row.id}/revoke").status_code == 302
    assert client.get("/fhir/r4/Task", headers={"Authorization": f"Bearer {raw}"}) \
        .status_code == 401
    done = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"exchange.partner_token_created", "exchange.partner_token_revoked"} <= done


def test_bad_input_is_400(client, db, world, login_as):
    login_as("admin", locale="en")
    for data in ({"organisation_id": str(world.org.id), "label": "", "days": "30"},
                 {"organisation_id": "nope", "label": "x", "days": "30"},
                 {"organisation_id": str(world.org.id), "label": "x", "days": "9999"}):
        assert client.post(URL, data=data).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PartnerToken)) == 0


def test_other_roles_are_refused(client, db, world, login_as):
    login_as(world.provider)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"organisation_id": str(world.org.id), "label": "x",
                                  "days": "3"}).status_code == 403
    assert client.post(f"{URL}1/revoke").status_code == 403

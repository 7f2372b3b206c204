"""Directory operations: new state and the audit row, domain refusals."""
import json

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, DomainError
from icrs.directory import services
from icrs.directory.models import ApiToken
from icrs.directory.taxonomy import category_by_code
from icrs.directory.vocab import ServiceStatus


def _audit(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def _data(**kw):
    base = {"name": "Literacy classes", "description": "Evening classes",
            "category": category_by_code("literacy"), "status": ServiceStatus.ACTIVE,
            "sexes": ["female", "male"], "categories": ["adult_man", "adult_woman"],
            "minimum_age": 15, "maximum_age": None, "capacity": 10, "open_slots": 4}
    base.update(kw)
    return base


def test_create_service_audited(db, make, directory):
    admin = make.user("admin")
    service = services.create_service(admin, directory.org, _data())
    assert service.assured_date is not None
    entry = _audit(db, "directory.service_created")[-1]
    assert entry.object_id == str(service.id) and entry.actor_id == admin.id


def test_update_service_records_changed_fields(db, make, directory):
    provider = make.user("provider", organisation=directory.org)
    services.update_service(provider, directory.adults_en, _data(name="Adults EN v2"))
    entry = _audit(db, "directory.service_updated")[-1]
    assert "name" in json.loads(entry.details)["fields"]
    assert "Adults" not in entry.details  # field names only, no values


def test_provider_cannot_update_other_organisation(db, make, directory):
    provider = make.user("provider", organisation=directory.other)
    with pytest.raises(AccessDenied):
        services.update_service(provider, directory.adults_en, _data())
    with pytest.raises(AccessDenied):
        services.create_service(provider, directory.other, _data())


@pytest.mark.parametrize("bad, field", [
    ({"minimum_age": 30, "maximum_age": 20}, "maximum_age"),
    ({"sexes": []}, "sexes"),
    ({"categories": []}, "categories"),
    ({"capacity": 3, "open_slots": 4}, "open_slots"),
    ({"category": None}, "category"),
])
def test_service_rules(db, make, directory, bad, field):
    with pytest.raises(DomainError) as exc:
        services.create_service(make.user("admin"), directory.org, _data(**bad))
    assert exc.value.field == field


def test_deactivating_organisation_closes_its_services(db, make, directory):
    admin = make.user("admin")
    services.update_organisation(admin, directory.org,
                                 {"name": directory.org.name, "active": False})
    assert directory.adults_en.status == ServiceStatus.INACTIVE
    details = json.loads(_audit(db, "directory.organisation_updated")[-1].details)
    assert details["fields"] == ["active"] and details["services_closed"] == 2


def test_token_stores_only_hash(db, make):
    admin = make.user("admin")
    token, raw = services.create_api_token(admin, "Partner")
    assert raw not in (token.token_hash, token.label) and len(token.token_hash) == 64
    assert services.authenticate_token(raw) is token and token.last_used_at is not None
    services.revoke_api_token(admin, token)
    assert services.authenticate_token(raw) is None
    assert _audit(db, "directory.api_token_revoked")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1

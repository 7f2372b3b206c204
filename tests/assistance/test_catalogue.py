"""The catalogue: administrators only; bad input refused at the field, nothing written; a type
is retired, never deleted, and its kit items are fixed once used."""
import sqlalchemy as sa

from icrs.assistance.models import AssistanceType, KitItem
from icrs.audit.models import AuditEntry


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _type_data(source, **extra):
    data = {"code": "tailoring_kit", "name_fr": "Kit de couture", "name_en": "Tailoring kit",
            "kind": "kit", "unit_value": "250000", "currency": "XAF",
            "funding_source_id": str(source.id), "cap_per_person": "250000",
            "items": "1 | Machine à coudre | Sewing machine\n5 | Coupon de tissu | Fabric length",
            "eligible_categories": ["adult_woman"]}
    data.update(extra)
    return data


def test_admin_adds_a_kit_with_items(client, login_as, db, admin, source):
    login_as(admin)
    assert client.get("/assistance/catalogue").status_code == 200
    response = client.post("/assistance/catalogue/types/new", data=_type_data(source))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    kit = db.session.scalar(sa.select(AssistanceType))
    assert kit.unit_value == 250000 and kit.eligible_categories == ["adult_woman"]
    assert [(i.quantity, i.name_en) for i in kit.items] == [(1, "Sewing machine"),
                                                           (5, "Fabric length")]
    assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.seq.desc())
                             .limit(1)) == "assistance.type_created"
    page = client.get("/assistance/catalogue").get_data(as_text=True)
    assert "Tailoring kit" in page


def test_caseworker_and_supervisor_are_refused(client, login_as, db, worker, supervisor,
                                               source):
    login_as(worker)
    assert client.get("/assistance/catalogue").status_code == 403
    assert client.post("/assistance/catalogue/types/new",
                       data=_type_data(source)).status_code == 403
    client.post("/logout")
    login_as(supervisor)
    assert client.post("/assistance/catalogue/funding-sources/new",
                       data={"code": "x_y", "name": "X", "donor": "Y"}).status_code == 403
    assert _count(db, AssistanceType) == 0


def test_bad_amount_and_bad_items_are_refused_at_the_field(client, login_as, db, admin,
                                                           source):
    login_as(admin)
    response = client.post("/assistance/catalogue/types/new",
                           data=_type_data(source, unit_value="12.5"))
    assert response.status_code == 400 and 'id="unit_value-err"' in response.get_data(True)
    response = client.post("/assistance/catalogue/types/new",
                           data=_type_data(source, unit_value="-3"))
    assert response.status_code == 400 and "above zero" in response.get_data(as_text=True)
    response = client.post("/assistance/catalogue/types/new",
                           data=_type_data(source, items="two | machine"))
    assert response.status_code == 400 and "Line 1" in response.get_data(as_text=True)
    assert _count(db, AssistanceType) == 0 and _count(db, KitItem) == 0


def test_retire_and_no_delete_route(client, login_as, db, admin, grant, app):
    login_as(admin)
    assert client.post(f"/assistance/catalogue/types/{grant.id}/active",
                       data={"active": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(AssistanceType, grant.id).active is False
    assert not [r for r in app.url_map.iter_rules() if r.endpoint.startswith("assistance.")
                and ("DELETE" in r.methods or "PUT" in r.methods or "delete" in r.rule)]


def test_overlapping_periods_refused(client, login_as, db, admin):
    login_as(admin)
    ok = client.post("/assistance/catalogue/periods/new",
                     data={"name": "2025", "starts_on": "2025-01-01", "ends_on": "2025-12-31"})
    assert ok.status_code == 302
    again = client.post("/assistance/catalogue/periods/new",
                        data={"name": "Phase 2", "starts_on": "2025-06-01",
                              "ends_on": "2026-05-31"})
    assert again.status_code == 400 and "cannot overlap" in again.get_data(as_text=True)

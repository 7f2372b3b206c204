"""The places admin pages: admins only, refusals at the field with 400 and nothing written,
every change audited, the COD upload → preview → apply flow, the menu entry."""
import io

import pytest
import sqlalchemy as sa

from icrs.core.models import AdminArea, Region, Site
from icrs.places.reference import load_reference_regions
from tests.places.conftest import audit_actions


@pytest.fixture
def admin(login_as, db):
    load_reference_regions()
    return login_as("admin", locale="en")


def _count(db, model):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "provider"])
def test_other_roles_get_403(client, login_as, db, role):
    load_reference_regions()
    login_as(role)
    region = db.session.scalar(sa.select(Region).where(Region.code == "EN"))
    assert client.get("/admin/places/").status_code == 403
    assert client.post("/admin/places/regions/new", data={
        "code": "LC", "name_fr": "Lac", "name_en": "Lake"}).status_code == 403
    assert client.post(f"/admin/places/regions/{region.id}/active",
                       data={"active": "0"}).status_code == 403
    assert client.post("/admin/places/import", data={
        "file": (io.BytesIO(b"admin1Pcode,admin1Name\nCM004,X\n"), "c.csv")}).status_code == 403
    db.session.expire_all()
    assert _count(db, Region) == 10 and region.active


def test_index_lists_regions_and_sites_with_pcodes(client, admin, make, db):
    make.site("MER", "EN", name="Méri")
    db.session.commit()
    body = client.get("/admin/places/").get_data(as_text=True)
    assert "Far North (CM004)" in body and "Méri" in body


def test_create_and_edit_a_region(client, admin, db):
    response = client.post("/admin/places/regions/new", data={
        "code": "lc", "pcode": "CM011", "name_fr": "Lac", "name_en": "Lake"})
    assert response.status_code == 302
    region = db.session.scalar(sa.select(Region).where(Region.code == "LC"))
    assert region.pcode == "CM011"
    response = client.post(f"/admin/places/regions/{region.id}", data={
        "pcode": "CM011", "name_fr": "Lac Tchad", "name_en": "Lake Chad"})
    assert response.status_code == 302
    db.session.expire_all()
    assert region.name_fr == "Lac Tchad" and region.code == "LC"
    assert audit_actions(db)[-2:] == ["places.region_created", "places.region_updated"]


@pytest.mark.parametrize(("data", "message"), [
    ({"code": "EN", "pcode": "", "name_fr": "A", "name_en": "B"}, "Another region has this code"),
    ({"code": "LC", "pcode": "CM004", "name_fr": "A", "name_en": "B"},
     "Another region has this p-code"),
    ({"code": "LC", "pcode": "X4", "name_fr": "A", "name_en": "B"}, "CM004 or CM004001"),
    ({"code": "LC", "pcode": "", "name_fr": "", "name_en": "B"}, 'id="name_fr-err"'),
])
def test_bad_region_input_is_refused_at_the_field(client, admin, db, data, message):
    before = audit_actions(db)
    response = client.post("/admin/places/regions/new", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and 'class="error"' in body
    assert _count(db, Region) == 10 and audit_actions(db) == before


def test_site_under_an_area_of_another_region_is_refused(client, admin, db):
    client.post("/admin/places/areas/new", data={
        "pcode": "CM004001", "level": "2", "parent_pcode": "CM004", "name_fr": "Diamaré",
        "name_en": "Diamare"})
    assert _count(db, AdminArea) == 11
    nw = db.session.scalar(sa.select(Region).where(Region.code == "NW"))
    response = client.post("/admin/places/sites/new", data={
        "code": "BAM", "region_id": str(nw.id), "area_pcode": "CM004001",
        "name_fr": "Bamenda", "name_en": "Bamenda"})
    assert response.status_code == 400
    assert "This area is not in the region" in response.get_data(as_text=True)
    assert _count(db, Site) == 0
    response = client.post("/admin/places/sites/new", data={
        "code": "BAM", "region_id": str(nw.id), "name_fr": "Bamenda", "name_en": "Bamenda",
        "latitude": "5,96", "longitude": "abc"})
    assert response.status_code == 400 and "decimal degrees" in response.get_data(as_text=True)
    en = db.session.scalar(sa.select(Region).where(Region.code == "EN"))
    response = client.post("/admin/places/sites/new", data={
        "code": "MER", "region_id": str(en.id), "area_pcode": "CM004001", "name_fr": "Méri",
        "name_en": "Meri", "latitude": "10,79", "longitude": "14.12"})
    assert response.status_code == 302
    site = db.session.scalar(sa.select(Site).where(Site.code == "MER"))
    assert (site.area.pcode, site.latitude) == ("CM004001", 10.79)


def test_deactivate_and_reactivate_a_site(client, admin, make, db):
    site = make.site("MER", "EN")
    db.session.commit()
    assert client.post(f"/admin/places/sites/{site.id}/active",
                       data={"active": "0"}).status_code == 302
    db.session.expire_all()
    assert site.active is False
    assert client.post(f"/admin/places/sites/{site.id}/active",
                       data={"active": "maybe"}).status_code == 400
    region_id = site.region_id
    client.post(f"/admin/places/regions/{region_id}/active", data={"active": "0"})
    response = client.post(f"/admin/places/sites/{site.id}/active", data={"active": "1"})
    assert response.status_code == 400 and "region first" in response.get_data(as_text=True)
    db.session.expire_all()
    assert site.active is False
    assert audit_actions(db)[-2:] == ["places.site_deactivated", "places.region_deactivated"]


def test_deactivated_site_is_not_offered_in_user_forms(client, admin, make, db):
    site, other = make.site("MER", "EN"), make.site("MOR", "EN")
    site.active = False
    db.session.commit()
    body = client.get("/admin/users/new").get_data(as_text=True)
    sites = body.split('id="site_id"')[1].split("</select>")[0]
    assert f'value="{other.id}"' in sites and f'value="{site.id}"' not in sites


def test_area_pages(client, admin, db):
    body = client.get("/admin/places/areas?level=1&q=CM00").get_data(as_text=True)
    assert "CM004" in body and "Far North" in body
    response = client.post("/admin/places/areas/new", data={
        "pcode": "CM004001", "level": "2", "parent_pcode": "CM007", "name_fr": "A",
        "name_en": "B"})
    assert response.status_code == 400 and "begin with" in response.get_data(as_text=True)
    area = db.session.scalar(sa.select(AdminArea).where(AdminArea.pcode == "CM004"))
    assert client.post(f"/admin/places/areas/{area.id}", data={
        "name_fr": "Extrême-Nord", "name_en": "Far North", "latitude": "10.6",
        "longitude": "14.3"}).status_code == 302
    assert client.post(f"/admin/places/areas/{area.id}/active",
                       data={"active": "0"}).status_code == 302
    assert audit_actions(db)[-2:] == ["places.area_updated", "places.area_deactivated"]


def test_cod_upload_preview_then_apply(client, admin, db, cod_csv):
    response = client.post("/admin/places/import", data={"file": (io.BytesIO(cod_csv),
                                                                  "cod.csv")})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Diamaré" in body and "CM004006" in body
    assert _count(db, AdminArea) == 10  # only the reference regions' adm1: nothing written
    digest = body.split('name="digest" type="hidden" value="')[1][:64]
    response = client.post("/admin/places/import/apply", data={"digest": digest,
                                                               "filename": "cod.csv"})
    assert response.status_code == 302
    assert _count(db, AdminArea) == 16 and _count(db, Region) == 10
    assert audit_actions(db)[-1] == "places.cod_imported"
    again = client.post("/admin/places/import/apply", data={"digest": digest})
    assert again.status_code == 400 and "no longer here" in again.get_data(as_text=True)


def test_cod_preview_shows_errors_with_rows_and_writes_nothing(client, admin, db):
    bad = b"admin1Pcode,admin1Name_fr,admin2Pcode,admin2Name_fr\n,,CM004001,Diamare\n"
    response = client.post("/admin/places/import", data={"file": (io.BytesIO(bad), "b.csv")})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Row 2" in body and 'name="digest"' not in body
    xlsx = client.post("/admin/places/import", data={
        "file": (io.BytesIO(b"PK\x03\x04zip"), "cod.xlsx")})
    assert xlsx.status_code == 400 and "workbook" in xlsx.get_data(as_text=True).lower()
    assert client.post("/admin/places/import", data={}).status_code == 400
    assert client.post("/admin/places/import/apply",
                       data={"digest": "0" * 64}).status_code == 400
    assert _count(db, AdminArea) == 10


def test_menu_has_places_for_admins_only(app, make, db):
    from flask_login import login_user

    from icrs.navigation import navigation
    for role, shown in (("admin", True), ("supervisor", False), ("caseworker", False)):
        user = make.user(role)
        with app.test_request_context("/"):
            login_user(user)
            assert ("/admin/places/" in {i["url"] for i in navigation()}) is shown, role

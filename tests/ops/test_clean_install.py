"""Issue 18's done-when, on an empty database, as the README's Deploy section tells it: init, the
COD admin1/admin2 table, a site, an organisation, a caseworker, a supervisor and a provider, a
directory import, then a first registration — no demo data, no Python console, every admin change
audited."""
import json
import re
from pathlib import Path

import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.auth.models import User
from icrs.core.models import AdminArea, Site
from icrs.directory.models import Organisation, Service
from icrs.extensions import db
from icrs.people.models import Person
from tests.ops.test_first_run import PASSWORD, _init, empty_app  # noqa: F401
from tests.people.test_views import GOOD

COD = Path(__file__).parents[1] / "places" / "data" / "cod_cmr_en.csv"
HSDS = Path(__file__).parents[1] / "directory" / "hsds_official" / "examples" / "service_full.json"
STAFF_PASSWORD = "a long staff password 2026"  # noqa: S105


def _sign_in(client, username, password):
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _import_cod(client):
    preview = client.post("/admin/places/import", data={"file": (COD.open("rb"), COD.name)},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, preview.get_data(as_text=True)[:1000]
    page = preview.get_data(as_text=True)
    digest = re.search(r'name="digest"[^>]*value="([^"]+)"', page).group(1)
    applied = client.post("/admin/places/import/apply", data={"digest": digest,
                                                              "filename": COD.name})
    assert applied.status_code == 302, applied.get_data(as_text=True)[:1000]


def _region_id(code):
    from icrs.core.models import Region
    return db.session.scalar(sa.select(Region.id).where(Region.code == code))


def _admin_setup(client):
    _import_cod(client)
    site = client.post("/admin/places/sites/new", data={
        "code": "MOR", "region_id": str(_region_id("EN")), "area_pcode": "CM004005",
        "name_fr": "Centre DDR de Mora", "name_en": "Mora DDR centre"})
    assert site.status_code == 302, site.get_data(as_text=True)[:1000]
    org = client.post("/directory/organisations/new", data={
        "name": "CNDDR", "type": "government", "regions": [str(_region_id("EN"))],
        "active": "y"})
    assert org.status_code == 302, org.get_data(as_text=True)[:1000]


def _new_user(client, username, role, **scope):
    response = client.post("/admin/users/new", data={
        "username": username, "full_name": username.title(), "role": role, "active": "y",
        "password": STAFF_PASSWORD, "organisation_id": "", "site_id": "", "region_id": "",
        **scope})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]


def _create_staff(client):
    site_id = db.session.scalar(sa.select(Site.id).where(Site.code == "MOR"))
    imported = db.session.scalar(sa.select(Organisation.id).where(Organisation.name != "CNDDR"))
    cnddr = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "CNDDR"))
    _new_user(client, "awa", "caseworker", site_id=str(site_id), organisation_id=str(cnddr))
    _new_user(client, "bello", "supervisor", region_id=str(_region_id("EN")),
              organisation_id=str(cnddr))
    _new_user(client, "clinic", "provider", organisation_id=str(imported))


def test_empty_database_to_first_registration(empty_app, tmp_path):  # noqa: F811
    assert _init(empty_app, "--admin", "chief", env={"ICRS_ADMIN_PASSWORD": PASSWORD}
                 ).exit_code == 0
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"default": "health", "terms": {}}))
    imported = empty_app.test_cli_runner().invoke(args=[
        "icrs", "directory", "import", str(HSDS), "--taxonomy-map", str(mapping)])
    assert imported.exit_code == 0, imported.output

    client = empty_app.test_client()
    _sign_in(client, "chief", PASSWORD)
    _admin_setup(client)
    _create_staff(client)
    assert db.session.scalar(sa.select(AdminArea.name_fr).where(
        AdminArea.pcode == "CM004001")) == "Diamaré"

    _sign_in(client, "awa", STAFF_PASSWORD)
    registered = client.post("/people/new", data=GOOD)
    assert registered.status_code == 302, registered.get_data(as_text=True)[:1000]

    person = db.session.scalar(sa.select(Person))
    assert person.case_number.startswith("EN-MOR-")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
    assert sorted(db.session.scalars(sa.select(User.username))) == [
        "awa", "bello", "chief", "clinic"]
    organisations = dict(db.session.execute(sa.select(User.username, Organisation.name).join(
        Organisation, User.organisation_id == Organisation.id)).all())
    assert organisations["awa"] == organisations["bello"] == "CNDDR"
    assert organisations["clinic"] != "CNDDR"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 1
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"places.reference_loaded", "places.cod_imported", "places.site_created",
            "directory.organisation_created", "directory.imported", "admin.user_created",
            "people.registered"} <= actions

"""A deactivated site stays on its people but takes no new registration; the command line."""
import sqlalchemy as sa

from icrs.core.models import AdminArea, Region, Site
from icrs.people.models import Person
from icrs.places import services
from tests.people.test_views import GOOD
from tests.places.conftest import DATA, audit_actions


def test_a_deactivated_site_takes_no_new_registration(client, login_as, make, db):
    worker = login_as("caseworker", locale="en")
    assert client.post("/people/new", data=GOOD).status_code == 302
    services.set_active(None, db.session.get(Site, worker.site_id), False)
    db.session.commit()
    response = client.post("/people/new", data=dict(GOOD, phone="677 11 22 33",
                                                    id_number="DDR-EN-0043"))
    assert response.status_code == 400
    assert "takes no new registrations" in response.get_data(as_text=True)
    people = db.session.scalars(sa.select(Person)).all()
    assert len(people) == 1 and people[0].site_id == worker.site_id  # the old record stays


def test_cli_manages_places_and_imports_with_a_dry_run(app, db):
    runner = app.test_cli_runner()

    def run(*args):
        return runner.invoke(args=["icrs", "places", *args])
    assert "10 added or updated" in run("reference").output
    result = run("import", str(DATA / "cod_cmr_en.csv"), "--dry-run")
    assert result.exit_code == 0 and "Dry run: 6 to create" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdminArea)) == 10
    assert "Imported: 6 to create" in run("import", str(DATA / "cod_cmr_en.csv")).output
    result = run("site-add", "MER", "--region", "EN", "--name-fr", "Méri", "--name-en", "Meri",
                 "--area", "CM004001")
    assert result.exit_code == 0, result.output
    result = run("site-add", "BAM", "--region", "NW", "--name-fr", "B", "--name-en", "B",
                 "--area", "CM004001")
    assert result.exit_code != 0 and "area_pcode" in result.output
    assert run("site-edit", "MER", "--lat", "10.79", "--lon", "14.12").exit_code == 0
    assert "now deactivated" in run("site-deactivate", "MER").output
    assert "now active" in run("site-reactivate", "MER").output
    assert run("region-add", "LC", "--name-fr", "Lac", "--name-en", "Lake",
               "--pcode", "CM011").exit_code == 0
    assert "name_fr" in run("region-edit", "LC", "--name-fr", "Lac Tchad").output
    assert "now deactivated" in run("region-deactivate", "LC").output
    listing = run("list").output
    assert "CM004001" in listing and "(deactivated)" in listing
    db.session.expire_all()
    site = db.session.scalar(sa.select(Site).where(Site.code == "MER"))
    assert (site.latitude, site.area.pcode) == (10.79, "CM004001")
    assert db.session.scalar(sa.select(Region.active).where(Region.code == "LC")) is False
    assert "places.cod_imported" in audit_actions(db)
    bad = run("import", "/dev/null")
    assert bad.exit_code == 1 and "Nothing imported" in bad.output

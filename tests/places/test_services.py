"""Places services: validation at the field, audit entries, deactivation, reference regions."""
import pytest
import sqlalchemy as sa

from icrs.core.errors import AccessDenied, DomainError
from icrs.core.models import AdminArea, Region, Site, offered_places, place_choices, places
from icrs.places import services
from icrs.places.reference import load_reference_regions
from tests.places.conftest import audit_actions


@pytest.fixture
def far_north(db):
    load_reference_regions()
    services.create_area(None, "CM004001", 2, "Diamaré", "Diamare", "CM004")
    return db.session.scalar(sa.select(Region).where(Region.code == "EN"))


def _refused(field, call, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    assert info.value.field == field, info.value.message
    return str(info.value.message)


def test_reference_regions_are_the_ten_of_cameroon_and_idempotent(db):
    assert load_reference_regions() == 10
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    assert len(regions) == 10
    assert (regions["EN"].pcode, regions["EN"].name_fr, regions["EN"].name_en) == (
        "CM004", "Extrême-Nord", "Far North")
    assert regions["SW"].pcode == "CM010" and regions["AD"].pcode == "CM001"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdminArea)
                             .where(AdminArea.level == 1)) == 10
    assert load_reference_regions() == 0
    assert audit_actions(db) == ["places.reference_loaded"]


def test_reference_fills_the_pcode_of_existing_regions_and_nothing_else(db, make):
    make.region("EN", name_fr="Mon Extrême-Nord", name_en="My Far North")
    db.session.get(Region, make.region("NW").id).active = False
    assert load_reference_regions() == 10  # 8 added, 2 filled
    en = db.session.scalar(sa.select(Region).where(Region.code == "EN"))
    assert (en.pcode, en.name_fr, en.name_en) == ("CM004", "Mon Extrême-Nord", "My Far North")
    assert db.session.scalar(sa.select(Region).where(Region.code == "NW")).active is False


def test_create_region_and_site_with_area_are_audited(db, far_north):
    region = services.create_region(None, "lc", "Lac", "Lake", "CM011")
    assert region.code == "LC" and region.label.endswith("(CM011)")
    assert db.session.scalar(sa.select(AdminArea).where(AdminArea.pcode == "CM011")).level == 1
    site = services.create_site(None, "mer", far_north, "Méri", "Meri", "cm004001", 10.79, 14.12)
    assert (site.code, site.pcode, site.latitude) == ("MER", "CM004001", 10.79)
    assert site.label == "Meri (CM004001)"  # English outside a request (conftest)
    assert audit_actions(db)[-2:] == ["places.region_created", "places.site_created"]


def test_codes_and_pcodes_are_checked_at_their_field(db, far_north):
    assert "2 to 8" in _refused("code", services.create_region, None, "E", "A", "B")
    assert "Another region" in _refused("code", services.create_region, None, "EN", "A", "B")
    assert "Another region has this p-code" in _refused(
        "pcode", services.create_region, None, "XX", "A", "B", "CM004")
    assert "CM004001" in _refused("pcode", services.create_region, None, "XX", "A", "B", "4")
    assert "level 2" in _refused("pcode", services.create_region, None, "XX", "A", "B",
                                 "CM004001")
    assert "Enter a name" in _refused("name_fr", services.create_region, None, "XX", " ", "B")
    services.create_site(None, "MER", far_north, "Méri", "Meri")
    assert "Another site" in _refused("code", services.create_site, None, "MER", far_north,
                                      "A", "B")


def test_a_site_under_an_area_of_another_region_is_refused(db, far_north):
    nw = db.session.scalar(sa.select(Region).where(Region.code == "NW"))
    message = _refused("area_pcode", services.create_site, None, "BAM", nw, "Bamenda",
                       "Bamenda", "CM004001")
    assert "not in the region" in message
    assert "No administrative area" in _refused("area_pcode", services.create_site, None,
                                                "BAM", nw, "A", "B", "CM007099")
    assert "adm2 or adm3" in _refused("area_pcode", services.create_site, None, "BAM", nw,
                                      "A", "B", "CM007")
    assert "both" in _refused("longitude", services.create_site, None, "BAM", nw, "A", "B",
                              None, 5.9)
    assert "-90" in _refused("latitude", services.create_site, None, "BAM", nw, "A", "B",
                             None, 95.0, 10.0)
    assert db.session.scalar(sa.select(Site).where(Site.code == "BAM")) is None


def test_areas_need_a_parent_of_the_level_above_and_a_pcode_inside_it(db, far_north):
    assert "level 2" in _refused("parent_pcode", services.create_area, None, "CM004001001", 3,
                                 "A", "B", "CM004")
    assert "begin with" in _refused("pcode", services.create_area, None, "CM005001", 2, "A",
                                    "B", "CM004")
    assert "no parent" in _refused("parent_pcode", services.create_area, None, "CM011", 1, "A",
                                   "B", "CM004")
    assert "Another area" in _refused("pcode", services.create_area, None, "CM004001", 2, "A",
                                      "B", "CM004")
    area = services.create_area(None, "CM004001001", 3, "Maroua 1er", "Maroua 1", "CM004001")
    assert area.adm1.pcode == "CM004"
    assert services.update_area(None, area, "Maroua Ier", "Maroua 1", 10.6, 14.3) == [
        "latitude", "longitude", "name_fr"]


def test_deactivated_places_leave_the_choices_but_stay_in_lists(db, far_north):
    site = services.create_site(None, "MER", far_north, "Méri", "Meri")
    other = services.create_site(None, "MOR", far_north, "Mora", "Mora")
    assert services.set_active(None, site, False) is True
    assert services.set_active(None, site, False) is False  # already
    assert site not in places(active=True)[1] and site in places()[1]
    assert site in offered_places(keep=[site])[1]
    services.set_active(None, far_north, False)
    assert other not in places(active=True)[1] and far_north not in places(active=True)[0]
    assert "region first" in str(pytest.raises(DomainError, services.set_active, None, site,
                                               True).value.message)
    assert audit_actions(db)[-2:] == ["places.site_deactivated", "places.region_deactivated"]


def test_choices_show_the_pcode(db, far_north):
    choices = dict(place_choices([far_north]))
    assert choices[str(far_north.id)] == "Far North (CM004)"


def test_only_admins_act(db, make, far_north):
    supervisor = make.user("supervisor")
    with pytest.raises(AccessDenied):
        services.create_region(supervisor, "XX", "A", "B")
    with pytest.raises(AccessDenied):
        services.set_active(supervisor, far_north, False)
    services.create_region(make.user("admin"), "XX", "A", "B")


def test_region_pcode_stays_while_its_sites_lie_in_its_areas(db, far_north):
    services.create_site(None, "MER", far_north, "Méri", "Meri", "CM004001")
    assert "stays" in _refused("pcode", services.update_region, None, far_north, "E", "F", None)

"""The COD import: the plan writes nothing, apply is all or nothing, a second import changes
nothing, and each adm1 gives its region."""
import sqlalchemy as sa

from icrs.core.models import AdminArea, Region
from icrs.places.cod import read_cod
from icrs.places.cod_import import apply_import, plan_import
from icrs.places.reference import load_reference_regions
from tests.places.conftest import audit_actions


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_preview_writes_nothing(db, cod_csv):
    plan = plan_import(read_cod(cod_csv))
    assert plan.counts() == {"create": 26, "update": 0, "unchanged": 0}  # 16 areas, 10 regions
    db.session.commit()
    assert _count(db, AdminArea) == 0 and _count(db, Region) == 0 and audit_actions(db) == []


def test_apply_creates_areas_and_regions_then_is_idempotent(db, cod_csv):
    apply_import(None, read_cod(cod_csv), "cod.csv")
    db.session.commit()
    assert _count(db, AdminArea) == 16
    en = db.session.scalar(sa.select(Region).where(Region.pcode == "CM004"))
    assert en.code == "EN"  # the reference code of CM004
    diamare = db.session.scalar(sa.select(AdminArea).where(AdminArea.pcode == "CM004001"))
    assert diamare.parent.pcode == "CM004" and diamare.level == 2
    again = apply_import(None, read_cod(cod_csv), "cod.csv")
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 26}
    assert not db.session.dirty and not db.session.new
    assert audit_actions(db) == ["places.cod_imported", "places.cod_imported"]


def test_import_fills_existing_regions_and_updates_names(db, make, cod_csv):
    make.region("EN", name_fr="EN sans p-code", name_en="EN")
    load_reference_regions()
    plan = plan_import(read_cod(cod_csv))
    updated = {s.source.pcode for s in plan.of("update")}
    # The reference regions and their adm1 areas already exist; EN's names differ.
    assert updated == {"CM004"} and len(plan.of("create")) == 6
    apply_import(None, read_cod(cod_csv))
    en = db.session.scalar(sa.select(Region).where(Region.code == "EN"))
    assert (en.pcode, en.name_fr) == ("CM004", "Extrême-Nord")


def test_a_new_adm1_takes_its_pcode_as_region_code(db):
    apply_import(None, read_cod(b"admin1Pcode,admin1Name_fr,admin1Name_en\nTD001,Lac,Lake\n"))
    assert db.session.scalar(sa.select(Region.code).where(Region.pcode == "TD001")) == "TD001"


def test_a_bad_row_refuses_the_whole_file(db, cod_csv):
    import pytest

    from icrs.core.errors import DomainError
    bad = cod_csv + "Cameroon,CM,Extrême-Nord,Far North,CM004,Autre nom,Other,CM004001\n".encode()
    with pytest.raises(DomainError):
        apply_import(None, read_cod(bad))
    db.session.rollback()
    assert _count(db, AdminArea) == 0 and _count(db, Region) == 0


def test_a_file_conflicting_with_the_database_is_refused(db, make, cod_csv):
    make.region("EN", pcode="CM099")  # the code EN is held by another p-code
    plan = plan_import(read_cod(cod_csv))
    assert not plan.ok
    assert "EN" in str(plan.errors[0][1]) and plan.errors[0][0] == 5

"""A third-party HSDS service (the official example) is imported: nested organisation, foreign
taxonomy mapped to an ICRS category by a map file or a default; without either it is refused
with a message that says how to map it."""
import json
import uuid

import pytest
import sqlalchemy as sa

from icrs.directory.importer import import_directory
from icrs.directory.interop import TaxonomyMap, TaxonomyMapError, as_exchange
from icrs.directory.models import Organisation, Service
from tests.directory.hsds_check import example

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
FOREIGN_TERM = "3f7b145d-84af-42d7-8fae-eaca714b02b2"


def _service(db):
    return db.session.get(Service, uuid.UUID(SERVICE_ID))


def test_official_example_without_a_map_is_refused_with_advice(db, places):
    result = import_directory(example("service_full"))
    assert not result.ok
    assert any("--taxonomy-map" in reason for _path, reason in result.errors), result.errors
    # the nested organisation is accepted: no complaint about organization_id
    assert not any("organization_id" in path for path, _r in result.errors), result.errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 0


def test_official_example_imports_with_a_taxonomy_map(db, places):
    mapping = TaxonomyMap.from_dict({"terms": {FOREIGN_TERM: "mhpss"}})
    result = import_directory(example("service_full"), taxonomy_map=mapping)
    assert result.ok, result.errors
    db.session.commit()
    service = _service(db)
    assert service.name == "Community Counselling" and service.category.code == "mhpss"
    assert str(service.organisation_id) == ORG_ID
    assert db.session.get(Organisation, service.organisation_id).name == \
        "Example Organization Inc."
    assert service.minimum_age == 12 and service.maximum_age == 100


def test_default_category_and_reimport_updates(db, places):
    result = import_directory(example("service_full"), taxonomy_map=TaxonomyMap(default="health"))
    assert result.ok, result.errors
    db.session.commit()
    again = example("service_full")
    again["name"] = "Community Counselling (updated)"
    assert import_directory(again, taxonomy_map=TaxonomyMap(default="health")).ok
    db.session.commit()
    db.session.expire_all()
    assert _service(db).name == "Community Counselling (updated)"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 1


def test_map_matches_code_or_name_case_insensitively():
    service = example("service_full")
    assert TaxonomyMap.from_dict({"terms": {"CODE": "health"}}).category_for(service) == "health"
    assert TaxonomyMap.from_dict({"terms": {"Name": "gbv"}}).category_for(service) == "gbv"
    assert TaxonomyMap.from_dict({"terms": {"other": "gbv"}}).category_for(service) is None


@pytest.mark.parametrize("bad", [{"terms": {"x": "not_a_category"}}, {"default": "nope"},
                                 {"terms": ["x"]}, ["x"]])
def test_bad_map_is_refused(bad):
    with pytest.raises(TaxonomyMapError):
        TaxonomyMap.from_dict(bad)


def test_shapes_page_list_and_single_service():
    one = example("service_full")
    for shape in (one, [one], {"contents": [one], "total_items": 1}):
        data = as_exchange(json.loads(json.dumps(shape)))
        assert [s["id"] for s in data["services"]] == [SERVICE_ID]
        assert data["services"][0]["organization_id"] == ORG_ID
        assert "organization" not in data["services"][0]
        assert [o["id"] for o in data["organizations"]] == [ORG_ID]


def test_cli_taxonomy_map_and_default_category(app, db, places, tmp_path):
    source = tmp_path / "service.json"
    source.write_text(json.dumps(example("service_full")), encoding="utf-8")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["icrs", "directory", "import", str(source)])
    assert refused.exit_code == 1 and "--taxonomy-map" in refused.output
    bad = runner.invoke(args=["icrs", "directory", "import", str(source),
                              "--default-category", "nope"])
    assert bad.exit_code != 0 and "not ICRS service categories" in bad.output
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"terms": {FOREIGN_TERM: "mhpss"}}), encoding="utf-8")
    ok = runner.invoke(args=["icrs", "directory", "import", str(source),
                             "--taxonomy-map", str(mapping)])
    assert ok.exit_code == 0, ok.output
    assert "Imported 1 organisations and 1 services" in ok.output

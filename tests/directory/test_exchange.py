"""HSDS exchange file: valid against the official schemas, export → import into an empty
directory gives the same directory, a malformed file changes nothing."""
import copy
import json

import sqlalchemy as sa

from icrs.directory.exporter import export_directory
from icrs.directory.importer import import_directory
from icrs.extensions import db as _db
from tests.directory.hsds_check import assert_valid

DIRECTORY_TABLES = {"service_eligible_category", "service_region", "service_site",
                    "service_language", "service_at_location", "phone", "contact", "schedule",
                    "cost_option", "required_document", "service", "location",
                    "organisation_region", "organisation", "taxonomy_term", "taxonomy",
                    "api_token"}


def _without_time(data):
    data = dict(data)
    data.pop("exported_at")
    return data


def _empty_directory():
    _db.session.commit()
    for table in reversed(_db.metadata.sorted_tables):
        if table.name in DIRECTORY_TABLES:
            _db.session.execute(table.delete())
    _db.session.commit()
    _db.session.expire_all()


def _count(table):
    return _db.session.scalar(sa.select(sa.func.count()).select_from(
        _db.metadata.tables[table]))


def test_export_is_valid_hsds(db, rich_service):
    data = export_directory()
    assert data["format"] == "icrs-hsds-directory" and data["hsds_version"] == "3.0"
    for org in data["organizations"]:
        assert_valid(org, "organization")
    for service in data["services"]:
        assert_valid(service, "service")
    for taxonomy in data["taxonomies"]:
        assert_valid(taxonomy, "taxonomy")
    for term in data["taxonomy_terms"]:
        assert_valid(term, "taxonomy_term")
    assert len(data["services"]) == 7


def test_round_trip_into_empty_directory(db, rich_service):
    before = json.loads(json.dumps(export_directory()))
    _empty_directory()
    assert _count("service") == 0
    result = import_directory(before)
    assert result.ok, result.errors
    db.session.commit()
    db.session.expire_all()
    assert result.services == 7 and result.organisations == 3
    after = export_directory()
    assert _without_time(after) == _without_time(before)


def test_reimport_over_itself_is_stable(db, rich_service):
    before = export_directory()
    assert import_directory(copy.deepcopy(before)).ok
    db.session.commit()
    db.session.expire_all()
    after = export_directory()
    assert _without_time(after) == _without_time(before)


def _broken(data):
    data = copy.deepcopy(data)
    data["services"][1]["status"] = "closed"
    data["services"][2]["service_areas"] = [{"id": data["services"][2]["id"],
                                             "uri": "urn:icrs:region:ZZ"}]
    data["organizations"][2]["email"] = "not an email"  # Closed NGO: its service fails too
    data["services"][3]["attributes"] = []  # no category
    return data


def test_malformed_import_changes_nothing(db, rich_service):
    data = export_directory()
    _empty_directory()
    counts = {t: _count(t) for t in DIRECTORY_TABLES}
    result = import_directory(_broken(data))
    assert not result.ok and result.services == 0
    paths = [p for p, _ in result.errors]
    assert "$.services[1].status" in paths
    assert "$.services[2].service_areas[0].uri" in paths
    assert "$.organizations[2].email" in paths
    assert "$.services[4].organization_id" in paths
    assert "$.services[3].attributes" in paths
    db.session.rollback()
    assert {t: _count(t) for t in DIRECTORY_TABLES} == counts


def test_skip_invalid_imports_only_valid_records(db, rich_service):
    data = export_directory()
    _empty_directory()
    broken = _broken(data)
    bad_org_id = broken["organizations"][2]["id"]
    result = import_directory(broken, skip_invalid=True)
    expected = [s for i, s in enumerate(broken["services"])
                if i not in (1, 2, 3) and s["organization_id"] != bad_org_id]
    assert result.services == len(expected) > 0
    assert result.organisations == len(broken["organizations"]) - 1


def test_not_a_directory_file(db):
    result = import_directory({"hello": 1})
    assert result.errors == [("$", "expected an object with 'organizations' and 'services' "
                                   "lists")]


def test_cli_export_import(app, db, rich_service, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "dir.json"
    result = runner.invoke(args=["icrs", "directory", "export", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text(encoding="utf-8"))
    _empty_directory()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_broken(data)), encoding="utf-8")
    result = runner.invoke(args=["icrs", "directory", "import", str(bad)])
    assert result.exit_code == 1 and "$.services[1].status" in result.output
    assert _count("service") == 0
    result = runner.invoke(args=["icrs", "directory", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert _count("service") == 7


def test_import_refuses_addresses_other_than_http(db, rich_service):
    data = export_directory()
    _empty_directory()
    data["organizations"][0]["website"] = "javascript:alert(document.cookie)"
    data["services"][0]["url"] = "JavaScript://example.org/%0Aalert(1)"
    result = import_directory(data)
    assert not result.ok and result.services == 0
    reasons = dict(result.errors)
    assert "http://" in reasons["$.organizations[0].website"]
    assert "http://" in reasons["$.services[0].url"]
    db.session.rollback()

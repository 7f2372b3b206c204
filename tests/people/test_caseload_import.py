"""The caseload import: a 500-row KoBoToolbox export with errors and internal duplicates is
previewed, imported and reported; XLSX; templates; all or nothing; skipping; refusals; the
upload is sealed at rest."""
import html as html_lib
import io
import json
import os
import re

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.people.imports import mapping as maps
from icrs.people.imports.plan import SKIP_INVALID, apply_import, plan_import
from icrs.people.imports.reader import read_table
from icrs.people.models import ImportTemplate, Person
from tests.people.caseload_files import kobo_rows, to_csv, to_xlsx


def _count(db):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Person))


def _actions(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def _messy_rows():
    """500 rows: 10 without a last name, 6 with a bad phone, 5 repeating an earlier person's
    ID number, 3 resubmissions (same _uuid), 1 already registered."""
    rows = kobo_rows(500)
    invalid, duplicates = set(), set()
    for i in range(5, 500, 50):
        rows[i]["identity/last_name"] = ""
        invalid.add(i)
    for i in range(20, 500, 80):
        rows[i]["contact/phone"] = "abc"
        invalid.add(i)
    for i in (101, 202, 303, 404, 499):
        rows[i]["contact/id_number"] = rows[i - 100]["contact/id_number"]
        duplicates.add(i)
    for i in (150, 250, 350):
        rows[i]["meta/instanceID"] = rows[i - 1]["meta/instanceID"]
        duplicates.add(i)
    return rows, invalid, duplicates


@pytest.fixture
def supervisor(make, db):
    make.site("MER", "EN")
    return make.user("supervisor", region=make.region("EN"))


@pytest.fixture
def site(make, db):
    return make.site("MER", "EN")


def test_suggestions_read_kobo_group_paths_and_ignore_its_metadata():
    fields = maps.suggest(["identity/first_name", "group_x/Nom", "_uuid", "_id", "_index",
                           "meta/instanceID", "identity/age", "Sexe", "_submission_time"])
    assert fields == ["first_name", "last_name", "source_id", "", "", "", "estimated_age",
                      "sex", "registered_on"]


def test_a_500_row_kobo_export_previews_imports_and_reports(db, make, supervisor, site,
                                                             register):
    rows, invalid, duplicates = _messy_rows()
    worker = make.user("caseworker", site=site)
    register(worker, first_name="Already", last_name="There", id_number=rows[7][
        "contact/id_number"])
    table = read_table(to_csv(rows), "export.csv")
    assert table.ok and len(table.rows) == 500
    fields = maps.suggest(table.headers)
    assert not maps.check_mapping(fields)
    plan = plan_import(supervisor, table, fields)
    by_number = {r.number: r for r in plan.rows}
    assert {r.number - 2 for r in plan.invalid} == invalid
    assert {r.number - 2 for r in plan.duplicates} == duplicates | {7}
    # file rows count from 2 (the header is row 1): index 7 is row 9
    assert by_number[9].duplicate.case_number.startswith("EN-MER-")
    assert by_number[103].duplicate.row == 3  # index 101 repeats index 1's ID number
    assert [c for c, _ in by_number[7].errors] == ["last_name"]
    assert _count(db) == 1  # the preview wrote nothing

    apply_import(supervisor, site, table, fields, SKIP_INVALID, filename="export.csv")
    db.session.commit()
    expected = 500 - len(invalid) - len(duplicates) - 1
    assert _count(db) == 1 + expected
    person = db.session.scalar(sa.select(Person).where(Person.id_number_bidx.is_not(None),
                                                       Person.caseworker_id.is_(None)).limit(1))
    assert person.registered_at.year == 2023 and person.languages in (["fr", "ff"], ["ha"])
    (entry,) = _actions(db, "people.imported")
    details = json.loads(entry.details)
    assert details["importable"] == expected and details["invalid"] == len(invalid)
    assert details["duplicates"] == len(duplicates) + 1 and details["mode"] == "skip"
    assert "Moussa" not in entry.details and "DDR-" not in entry.details


def test_identity_is_encrypted_on_the_way_in(db, supervisor, site):
    table = read_table(to_csv(kobo_rows(3)), "x.csv")
    apply_import(supervisor, site, table, maps.suggest(table.headers))
    db.session.commit()
    raw = db.session.execute(sa.text("SELECT first_name_ct, phone_ct FROM person")).all()
    assert all(b"Moussa" not in bytes(r[0]) and b"+237" not in bytes(r[1]) for r in raw)
    person = db.session.scalars(sa.select(Person).order_by(Person.case_number)).first()
    assert person.first_name.startswith("Moussa") and person.phone_bidx is not None


def test_one_bad_row_leaves_nothing_in_all_or_nothing_mode(db, supervisor, site):
    from icrs.core.errors import DomainError
    rows = kobo_rows(20)
    rows[13]["identity/sex"] = "unknown"
    table = read_table(to_csv(rows), "x.csv")
    with pytest.raises(DomainError):
        apply_import(supervisor, site, table, maps.suggest(table.headers))
    db.session.rollback()
    assert _count(db) == 0 and not _actions(db, "people.imported")


def test_xlsx_export_is_read_with_dates_and_numbers(db, supervisor, site):
    rows = kobo_rows(30)
    data = to_xlsx(rows)
    table = read_table(data, "export.xlsx")
    assert table.ok and len(table.rows) == 30
    plan = plan_import(supervisor, table, maps.suggest(table.headers))
    assert len(plan.importable) == 30
    apply_import(supervisor, site, table, maps.suggest(table.headers))
    assert _count(db) == 30


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+CMD|' /C calc'!A0",
                                  "-2+3"])
def test_a_formula_in_a_csv_cell_refuses_the_file(cell):
    rows = kobo_rows(3)
    rows[1]["contact/address"] = cell
    table = read_table(to_csv(rows), "x.csv")
    assert not table.ok and "formula" in str(table.errors[0]) and "Row 3" in str(table.errors[0])


def test_phone_numbers_with_a_plus_are_not_formulas():
    assert read_table(to_csv(kobo_rows(2)), "x.csv").ok


def test_a_formula_in_an_xlsx_cell_refuses_the_file():
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["first_name", "last_name"])
    book.active.append(["Ali", "=1+1"])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "x.xlsx")
    assert not table.ok and "formula" in str(table.errors[0])


def test_wrong_encoding_and_fake_xlsx_are_refused():
    latin = "first_name;last_name\nAïcha;Mahamat\n".encode("latin-1")
    assert "UTF-8" in str(read_table(latin, "x.csv").errors[0])
    assert "Excel" in str(read_table(b"PK\x03\x04 not a zip", "x.xlsx").errors[0])
    assert "Excel" in str(read_table(b"first_name\nAli\n", "x.xlsx").errors[0])


# --- the pages ---------------------------------------------------------------------------------
def _upload(client, site, data=None, name="export.csv", **extra):
    data = data if data is not None else to_csv(kobo_rows(10))
    return client.post("/people/import", data={"file": (io.BytesIO(data), name),
                                               "site_id": str(site.id), **extra},
                       content_type="multipart/form-data")


def _stored(client):
    folder = os.path.join(client.application.instance_path, "caseload-imports")
    return {os.path.join(folder, n) for n in os.listdir(folder)} if os.path.isdir(folder) \
        else set()


def _carried(html):
    return {name: html_lib.unescape(value) for name, value in re.findall(
        r'<input[^>]*name="(token|filename|site_id|caseworker_id|mapping)"[^>]*value="([^"]*)"',
        html)}


def _mapping_choices(html):
    return {f"col-{i}": code for i, code in re.findall(
        r'<select name="col-(\d+)".*?<option value="([^"]*)"[^>]* selected', html, re.S)}


def test_the_pages_upload_map_save_template_preview_and_apply(client, login_as, db, site):
    sup = login_as("supervisor", region="EN", locale="en")
    before = _stored(client)
    response = _upload(client, site)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    html = response.get_data(as_text=True)
    carried, choices = _carried(html), _mapping_choices(html)
    assert choices["col-3"] == "first_name" and choices["col-15"] == ""
    (stored,) = _stored(client) - before
    with open(stored, "rb") as fh:
        sealed = fh.read()
    assert b"Moussa" not in sealed and b"first_name" not in sealed
    preview = client.post("/people/import/preview", data={
        **carried, **choices, "template_name": "KoBo 2023"})
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    assert "10 rows can be imported" in preview.get_data(as_text=True)
    assert _count(db) == 0
    template = db.session.scalar(sa.select(ImportTemplate))
    assert template.name == "KoBo 2023" and template.mapping["identity/first_name"] == \
        "first_name"
    apply_data = _carried(preview.get_data(as_text=True))
    done = client.post("/people/import/apply", data={**apply_data, "mode": "all"})
    assert done.status_code == 200 and "10 people imported" in done.get_data(as_text=True)
    assert _count(db) == 10 and _stored(client) == before
    again = client.post("/people/import/apply", data={**apply_data, "mode": "all"})
    assert again.status_code == 400 and _count(db) == 10
    assert {e.action for e in db.session.scalars(sa.select(AuditEntry))} >= {
        "people.import_template_saved", "people.import_previewed", "people.imported"}
    assert sup.id in {e.actor_id for e in _actions(db, "people.imported")}


def test_a_saved_template_maps_a_renamed_export(client, login_as, db, site):
    user = login_as("admin", locale="en")
    headers = ["Prénom", "Family", "Sexe", "Year", "Cat"]
    db.session.add(ImportTemplate(name="Registre Mora", created_by_id=user.id, mapping={
        "Prénom": "first_name", "Family": "last_name", "Sexe": "sex", "Year": "birth_year",
        "Cat": "category"}))
    db.session.commit()
    template_id = db.session.scalar(sa.select(ImportTemplate.id))
    data = (";".join(headers) + "\nAli;Goni;m;1990;adult_man\n").encode()
    response = _upload(client, site, data, template_id=str(template_id))
    choices = _mapping_choices(response.get_data(as_text=True))
    assert choices == {"col-0": "first_name", "col-1": "last_name", "col-2": "sex",
                       "col-3": "birth_year", "col-4": "category"}


def test_skip_mode_reports_the_skipped_rows_at_the_field(client, login_as, db, site):
    login_as("supervisor", region="EN", locale="en")
    rows = kobo_rows(6)
    rows[2]["contact/phone"] = "abc"
    rows[4]["contact/id_number"] = rows[0]["contact/id_number"]
    html = _upload(client, site, to_csv(rows)).get_data(as_text=True)
    preview = client.post("/people/import/preview", data={**_carried(html),
                                                          **_mapping_choices(html)})
    text = preview.get_data(as_text=True)
    assert "This is not a phone number." in text and "Same person as row 2" in text
    refused = client.post("/people/import/apply", data={**_carried(text), "mode": "all"})
    assert refused.status_code == 400 and "nothing was imported" in refused.get_data(
        as_text=True) and _count(db) == 0
    done = client.post("/people/import/apply", data={**_carried(text), "mode": "skip"})
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and "4 people imported" in body and "Rows skipped" in body
    assert _count(db) == 4


def test_a_mapping_without_a_required_field_is_refused_at_the_step(client, login_as, db, site):
    login_as("supervisor", region="EN", locale="en")
    html = _upload(client, site).get_data(as_text=True)
    choices = dict(_mapping_choices(html), **{"col-4": ""})  # no last name
    response = client.post("/people/import/preview", data={**_carried(html), **choices})
    assert response.status_code == 400 and "it is required" in response.get_data(as_text=True)


def test_caseworker_gets_403(client, login_as, db, site):
    login_as("caseworker")
    assert client.get("/people/import").status_code == 403
    assert _upload(client, site).status_code == 403
    assert client.post("/people/import/apply", data={}).status_code == 403
    assert _count(db) == 0


def test_another_regions_site_is_refused(client, login_as, db, make, site):
    other = make.site("BDA", "NW")
    login_as("supervisor", region="EN", locale="en")
    assert _upload(client, other).status_code in (400, 403)
    html = _upload(client, site).get_data(as_text=True)
    carried = dict(_carried(html), site_id=str(other.id))
    response = client.post("/people/import/preview", data={**carried,
                                                           **_mapping_choices(html)})
    assert response.status_code == 403 and _count(db) == 0


def test_a_bad_file_is_refused_at_upload(client, login_as, db, site):
    login_as("supervisor", region="EN", locale="en")
    before = _stored(client)
    latin = "first_name;last_name\nAïcha;Mahamat\n".encode("latin-1")
    response = _upload(client, site, latin)
    assert response.status_code == 400 and "not in UTF-8" in response.get_data(as_text=True)
    rows = kobo_rows(2)
    rows[0]["contact/address"] = "=cmd()"
    response = _upload(client, site, to_csv(rows))
    assert response.status_code == 400 and "formula" in response.get_data(as_text=True)
    assert _stored(client) == before


def test_another_user_cannot_open_the_sealed_upload(client, login_as, db, make, site):
    login_as("supervisor", region="EN", locale="en")
    html = _upload(client, site).get_data(as_text=True)
    carried, choices = _carried(html), _mapping_choices(html)
    client.post("/logout")
    login_as("supervisor", region="EN", locale="en")
    response = client.post("/people/import/preview", data={**carried, **choices})
    assert response.status_code == 400 and "no longer here" in response.get_data(as_text=True)


def test_get_changes_nothing(client, login_as, db, site):
    login_as("supervisor", region="EN")
    assert client.get("/people/import").status_code == 200
    assert client.get("/people/import/apply").status_code == 405
    assert _count(db) == 0 and not db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action.like("people.import%"))).all()

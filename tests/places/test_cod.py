"""Reading COD tables: OCHA's CSV, the ADM1_PCODE variant, HXL tags, and the files refused."""
from icrs.places.cod import read_cod


def _csv(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def _messages(cod):
    return [(row, str(message)) for row, message in cod.errors]


def test_reads_the_ocha_table(cod_csv):
    cod = read_cod(cod_csv, "cmr_adminboundaries_tabulardata.csv")
    assert cod.ok and cod.levels == (1, 2)
    by_pcode = {a.pcode: a for a in cod.areas}
    assert len([a for a in cod.areas if a.level == 1]) == 10
    assert len([a for a in cod.areas if a.level == 2]) == 6
    en = by_pcode["CM004"]
    assert (en.name_fr, en.name_en, en.parent_pcode) == ("Extrême-Nord", "Far North", None)
    diamare = by_pcode["CM004001"]
    assert (diamare.level, diamare.parent_pcode, diamare.name_fr) == (2, "CM004", "Diamaré")
    assert [a.level for a in cod.areas] == sorted(a.level for a in cod.areas)  # parents first


def test_reads_the_adm_pcode_variant_with_semicolons():
    cod = read_cod(_csv("ADM1_FR;ADM1_EN;ADM1_PCODE;ADM2_FR;ADM2_EN;ADM2_PCODE",
                        "Extrême-Nord;Far North;CM004;Diamaré;Diamare;CM004001"))
    assert cod.ok
    assert {(a.pcode, a.name_en) for a in cod.areas} == {("CM004", "Far North"),
                                                        ("CM004001", "Diamare")}


def test_reads_hxl_tags_whatever_the_header():
    cod = read_cod(_csv("Région,Region,Code région,Département,Department,Code",
                        "#adm1+name+i_fr,#adm1+name+i_en,#adm1+code,#adm2+name+i_fr,"
                        "#adm2+name+i_en,#adm2+code",
                        "Extrême-Nord,Far North,CM004,Mayo-Sava,Mayo-Sava,CM004005"))
    assert cod.ok
    assert {a.pcode: a.row for a in cod.areas} == {"CM004": 3, "CM004005": 3}


def test_one_name_column_serves_both_languages():
    cod = read_cod(_csv("admin1Pcode,admin1Name", "CM004,Extrême-Nord"))
    assert cod.ok and (cod.areas[0].name_fr, cod.areas[0].name_en) == ("Extrême-Nord",) * 2


def test_missing_columns_are_refused():
    assert "no column of adm1 p-codes" in _messages(read_cod(_csv("name,code", "a,b")))[0][1]
    cod = read_cod(_csv("admin1Pcode,admin2Pcode", "CM004,CM004001"))
    assert any("no column of adm1 names" in m for _r, m in _messages(cod))
    assert not cod.ok


def test_the_same_pcode_with_two_names_is_refused_with_its_row():
    cod = read_cod(_csv("admin1Pcode,admin1Name_fr,admin2Pcode,admin2Name_fr",
                        "CM004,Extrême-Nord,CM004001,Diamaré",
                        "CM004,Extreme Nord,CM004002,Logone-et-Chari"))
    assert not cod.ok
    assert _messages(cod) == [(3, "CM004 has another name, level or parent than on row 2.")]


def test_a_child_without_its_parent_is_refused():
    cod = read_cod(_csv("admin1Pcode,admin1Name_fr,admin2Pcode,admin2Name_fr",
                        ",,CM004001,Diamaré"))
    assert [row for row, _m in cod.errors] == [2]
    assert "child without its parent" in _messages(cod)[0][1]


def test_a_child_outside_its_parent_and_bad_pcodes_are_refused():
    cod = read_cod(_csv("admin1Pcode,admin1Name_fr,admin2Pcode,admin2Name_fr",
                        "CM004,Extrême-Nord,CM005001,Wouri",
                        "4,Quatre,,"))
    assert [row for row, _m in cod.errors] == [2, 3]
    assert "does not begin with the p-code of its parent CM004" in _messages(cod)[0][1]
    assert "is not a p-code" in _messages(cod)[1][1]


def _workbook(rows):
    import io

    import openpyxl
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reads_the_table_as_xlsx_with_its_hxl_row():
    data = _workbook([["admin1Name_fr", "admin1Name_en", "admin1Pcode"],
                      ["#adm1+name+i_fr", "#adm1+name+i_en", "#adm1+code"],
                      ["Extrême-Nord", "Far North", "CM004"], ["Nord", "North", "CM006"]])
    cod = read_cod(data, "cmr_adm.xlsx")
    assert cod.ok, cod.errors
    assert [(a.pcode, a.name_fr, a.name_en) for a in cod.areas] == [
        ("CM004", "Extrême-Nord", "Far North"), ("CM006", "Nord", "North")]


def test_an_xlsx_with_a_formula_or_a_fake_one_is_refused():
    formula = read_cod(_workbook([["admin1Pcode", "admin1Name_fr"], ["CM004", "=A2"]]),
                       "cod.xlsx")
    assert not formula.ok and "formula" in _messages(formula)[0][1]
    fake = read_cod(b"PK\x03\x04rest of a zip", "cmr.xlsx")
    assert not fake.ok and fake.errors


def test_non_utf8_and_empty_are_refused():
    latin = read_cod("admin1Pcode\nCM004,Extrême".encode("cp1252"))
    assert "not in UTF-8" in _messages(latin)[0][1]
    assert "empty" in _messages(read_cod(b""))[0][1]

"""Reading an OCHA COD administrative-boundaries table (the tabular CSV OCHA publishes on HDX,
with or without its HXL hashtag row) into areas with their p-codes, parents and names.

Columns are recognised by name (admin1Pcode, admin1Name_fr, admin1Name_en …; ADM1_PCODE,
ADM1_FR, ADM1_EN …) or, when the second row holds HXL hashtags, by tag (#adm1+code,
#adm1+name+i_fr, #adm1+name+i_en …). Each row gives one place per level, its parent being the
level above on the same row. Pure Python: no database, nothing written."""
import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.places.rules import is_child_pcode, is_pcode

MAX_ROWS = 20000
HEADER = re.compile(r"^adm(?:in)?([1-3])_?(pcode|code|name_?fr|name_?en|fr|en|name)$")
KINDS = {"pcode": "code", "code": "code", "namefr": "fr", "name_fr": "fr", "fr": "fr",
         "nameen": "en", "name_en": "en", "en": "en", "name": "name"}


@dataclass(frozen=True)
class CodArea:
    pcode: str
    level: int
    name_fr: str
    name_en: str
    parent_pcode: str | None
    row: int  # first row of the file that names it (1 = the header)


@dataclass
class CodFile:
    areas: list = field(default_factory=list)  # parents before children
    errors: list = field(default_factory=list)  # (row number or None, message)
    levels: tuple = ()

    @property
    def ok(self):
        return not self.errors and bool(self.areas)


def read_cod(data: bytes, filename: str = "") -> CodFile:
    """OCHA's table as CSV (UTF-8) or XLSX (its first sheet), plain or with a HXL row."""
    from icrs.people.imports.reader import is_xlsx, xlsx_rows

    if is_xlsx(data, filename):
        rows, refused = xlsx_rows(data)
        if refused:
            return CodFile(errors=[(None, refused)])
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return CodFile(errors=[(None, _l("The file is not in UTF-8. Save it as “CSV UTF-8”."))])
        rows = list(csv.reader(io.StringIO(text), csv_dialect(text)))
    if not rows or not any(rows[0]):
        return CodFile(errors=[(None, _l("The file is empty."))])
    hxl = len(rows) > 1 and _is_hashtag_row(rows[1])
    columns = _tag_columns(rows[1]) if hxl else _header_columns(rows[0])
    result = CodFile()
    levels = _check_columns(columns, result)
    if result.errors:
        return result
    result.levels = levels
    body_start = 2 if hxl else 1
    if len(rows) - body_start > MAX_ROWS:
        result.errors.append((None, _l("At most %(n)s rows at once.", n=MAX_ROWS)))
        return result
    _read_rows(rows[body_start:], body_start + 1, columns, levels, result)
    if not result.areas and not result.errors:
        result.errors.append((None, _l("The file has no rows of places.")))
    result.areas.sort(key=lambda a: (a.level, a.pcode))
    return result


def csv_dialect(text):
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _is_hashtag_row(row):
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def _header_columns(header):
    columns = {}
    for index, name in enumerate(header):
        match = HEADER.match(name.strip().lower().replace(" ", ""))
        if match:
            columns.setdefault((int(match[1]), KINDS[match[2]]), index)
    return columns


def _tag_columns(tags):
    columns = {}
    for index, tag in enumerate(tags):
        head, *attributes = tag.strip().lower().replace(" ", "").split("+")
        match = re.match(r"^#adm([1-3])$", head)
        if not match:
            continue
        attributes = set(attributes)
        if "code" in attributes:
            kind = "code"
        else:
            kind = "fr" if "i_fr" in attributes else "en" if "i_en" in attributes else "name"
        columns.setdefault((int(match[1]), kind), index)
    return columns


def _check_columns(columns, result) -> tuple:
    levels = tuple(n for n in (1, 2, 3) if (n, "code") in columns)
    if 1 not in levels:
        result.errors.append((None, _l("The file has no column of adm1 p-codes (admin1Pcode, "
                                       "ADM1_PCODE or the HXL tag #adm1+code).")))
        return ()
    for n in levels:
        if n > 1 and n - 1 not in levels:
            result.errors.append((None, _l("The file has adm%(n)s p-codes but no column of "
                                           "adm%(up)s p-codes.", n=n, up=n - 1)))
        if not any((n, kind) in columns for kind in ("fr", "en", "name")):
            result.errors.append((None, _l("The file has no column of adm%(n)s names "
                                           "(admin%(n)sName_fr, admin%(n)sName_en …).", n=n)))
    return levels


def _cell(row, columns, key):
    index = columns.get(key)
    return " ".join(row[index].split()) if index is not None and index < len(row) else ""


def _read_rows(rows, first_number, columns, levels, result):
    seen = {}
    for number, row in enumerate(rows, first_number):
        if not any(c.strip() for c in row):
            continue
        for area in _row_areas(row, number, columns, levels, result):
            _add(seen, area, result)
    result.areas = list(seen.values())


def _row_areas(row, number, columns, levels, result):
    pcodes = [_cell(row, columns, (n, "code")).upper() for n in levels]
    deepest = max((i for i, p in enumerate(pcodes) if p), default=-1)
    if deepest < 0:
        result.errors.append((number, _l("The row has no p-code.")))
        return []
    areas, parent = [], None
    for i, level in enumerate(levels[:deepest + 1]):
        pcode = pcodes[i]
        error = _pcode_error(pcode, level, parent)
        if error:
            result.errors.append((number, error))
            return []
        names = _names(row, columns, level)
        if names is None:
            result.errors.append((number, _l("%(pcode)s has no name.", pcode=pcode)))
            return []
        areas.append(CodArea(pcode, level, names[0], names[1], parent, number))
        parent = pcode
    return areas


def _pcode_error(pcode, level, parent):
    if not pcode:
        return _l("The adm%(n)s p-code is missing, yet the row has places below it (a child "
                  "without its parent).", n=level)
    if not is_pcode(pcode):
        return _l("%(pcode)s is not a p-code (two capital letters and digits, such as CM004).",
                  pcode=pcode)
    if parent is not None and not is_child_pcode(pcode, parent):
        return _l("%(pcode)s does not begin with the p-code of its parent %(parent)s.",
                  pcode=pcode, parent=parent)
    return None


def _names(row, columns, level):
    fr, en, name = (_cell(row, columns, (level, k)) for k in ("fr", "en", "name"))
    fr, en = fr or name or en, en or name or fr
    if not fr:
        return None
    return fr[:120], en[:120]


def _add(seen, area, result):
    first = seen.get(area.pcode)
    if first is None:
        seen[area.pcode] = area
        return
    if (first.level, first.name_fr, first.name_en, first.parent_pcode) != (
            area.level, area.name_fr, area.name_en, area.parent_pcode):
        result.errors.append((area.row, _l(
            "%(pcode)s has another name, level or parent than on row %(first)s.",
            pcode=area.pcode, first=first.row)))

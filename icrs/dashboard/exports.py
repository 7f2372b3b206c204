"""Aggregate exports: the dashboard's tables as CSV (one table) or XLSX (one sheet per table),
with an optional HXL hashtag row. Counts always go through suppression.suppress first."""
import csv
import io

from flask_babel import gettext as _

from icrs.dashboard.suppression import MASK, suppress_table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


def _safe(text):
    """Text a spreadsheet will not run as a formula (names come from users)."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value):
    if isinstance(value, tuple):  # (value, n) of a rate or median
        value, n = value
        return MASK if n == MASK else ("" if value is None else value)
    return value


def header(table):
    return ([table.row_label] + [str(c.label) for c in table.columns]
            + ([_("Total")] if table.kind == "count" or _has_total(table) else []))


def _has_total(table):
    return any(r.total is not None for r in table.rows)


def hxl_row(table):
    tags = [table.row_hxl] + [table.measure_hxl + (c.hxl or f"+{c.key}") for c in table.columns]
    if table.kind == "count" or _has_total(table):
        tags.append(table.measure_hxl + "+total")
    return tags


def rows(table):
    """Body rows after suppression, as lists of plain values."""
    shared = suppress_table(table)
    out = []
    for row in shared.rows:
        values = [_cell(v) for v in row.cells]
        if table.kind == "count" or _has_total(table):
            values.append(_cell(row.total))
        out.append([row.label] + values)
    return out


def to_csv(table, hxl=False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe(h) for h in header(table)])
    if hxl:
        writer.writerow(hxl_row(table))
    for row in rows(table):
        writer.writerow([_safe(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 correctly


def to_xlsx(tables, about, hxl=False) -> bytes:
    """One sheet per table, after an "About" sheet listing the filters and the suppression rule."""
    import xlsxwriter

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    names = sheet_names([_("About")] + [f"{n} {t.title}" for n, t in enumerate(tables, 1)])
    sheet = book.add_worksheet(names[0])
    for r, (label, value) in enumerate(about):
        sheet.write_string(r, 0, str(label), bold)
        sheet.write_string(r, 1, str(value))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 70)
    for name, table in zip(names[1:], tables, strict=True):
        _sheet(book.add_worksheet(name), table, hxl, bold)
    book.close()
    return output.getvalue()


def _sheet(sheet, table, hxl, bold):
    lines = [header(table)] + ([hxl_row(table)] if hxl else []) + rows(table)
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            if isinstance(value, bool) or not isinstance(value, int | float):
                sheet.write_string(r, c, "" if value is None else str(value),
                                   bold if r == 0 else None)
            else:
                sheet.write_number(r, c, value)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, len(lines[0]), 14)
    sheet.freeze_panes(2 if hxl else 1, 1)


def sheet_names(titles):
    """Excel sheet names: no forbidden character, at most 31 characters cut at a word boundary
    (with an ellipsis), and unique (case-insensitively, as Excel compares them)."""
    names, seen = [], set()
    for title in titles:
        name = _shorten(" ".join(str(title).translate(SHEET_NAME_FORBIDDEN).split()) or "-")
        base, n = name, 2
        while name.casefold() in seen:
            suffix = f" ({n})"
            name, n = _shorten(base, SHEET_NAME_MAX - len(suffix)) + suffix, n + 1
        seen.add(name.casefold())
        names.append(name)
    return names


def _shorten(text, limit=SHEET_NAME_MAX):
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"

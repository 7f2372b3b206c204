"""Reading an uploaded caseload file into a header and rows of text cells. Pure Python, nothing
written. Refused: anything but UTF-8 CSV or a real XLSX, and any cell holding a spreadsheet
formula (a formula, or text that a spreadsheet would run as one when the data is exported
again: "=…", "@…", "+…"/"-…" other than a number)."""
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.places.cod import csv_dialect

MAX_ROWS = 10000
MAX_COLUMNS = 200
MAX_UNZIPPED = 60 * 1024 * 1024  # an XLSX is a zip: refuse a bomb before opening it
NUMBERISH = re.compile(r"^[+-][\d\s().-]*$")  # "+237 6 99 …", "-3": not formulas
NOT_UTF8 = _l("The file is not in UTF-8. Save it as “CSV UTF-8” (or as an Excel workbook) "
              "and send it again.")
NOT_XLSX = _l("The file is not a readable Excel workbook (.xlsx). Save it again as .xlsx, or "
              "as “CSV UTF-8”.")


@dataclass
class Table:
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (file row number, [cell text …])
    errors: list = field(default_factory=list)  # file-level refusals (messages)

    @property
    def ok(self):
        return not self.errors


def is_xlsx(data: bytes, filename: str) -> bool:
    return data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm", ".xls"))


def read_table(data: bytes, filename: str = "") -> Table:
    try:
        header, rows = _xlsx(data) if is_xlsx(data, filename) else _csv(data)
    except _Refused as exc:
        return Table(errors=[exc.message])
    return _table(header, rows)


class _Refused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Refused(NOT_UTF8) from None
    if "\x00" in text:
        raise _Refused(NOT_UTF8)
    rows = csv.reader(io.StringIO(text), csv_dialect(text))
    return _numbered(rows)


def _numbered(rows):
    numbered, header = [], None
    for number, row in enumerate(rows, 1):
        if header is None:
            header = row
            continue
        if number > MAX_ROWS + 1:
            raise _Refused(_l("At most %(n)s rows at once: split the file.", n=MAX_ROWS))
        numbered.append((number, row))
    return header or [], numbered


def xlsx_rows(data: bytes) -> tuple[list, list]:
    """The first sheet of a workbook as rows of text, or (None, message) when refused (not a
    workbook, too large once opened, a formula). Shared with the COD import of places."""
    try:
        header, numbered = _xlsx(data)
    except _Refused as exc:
        return None, exc.message
    return [header] + [row for _number, row in numbered], None


def _xlsx(data):
    import openpyxl
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
                raise _Refused(_l("The workbook is too large once opened."))
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _Refused:
        raise
    except Exception:  # noqa: BLE001 - a damaged or fake workbook fails in many ways
        raise _Refused(NOT_XLSX) from None
    try:
        sheet = book.worksheets[0]
        return _numbered(_xlsx_rows(sheet))
    finally:
        book.close()


def _xlsx_rows(sheet):
    for number, row in enumerate(sheet.iter_rows(), 1):
        cells = []
        for column, cell in enumerate(row, 1):
            if getattr(cell, "data_type", None) == "f":
                raise _Refused(_formula_message(number, column))
            cells.append(_xlsx_text(cell.value))
        yield cells


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_formula(text: str) -> bool:
    text = text.lstrip(" \t\r\n")
    if not text:
        return False
    return text[0] in "=@" or (text[0] in "+-" and not NUMBERISH.match(text))


def _formula_message(row, column):
    return _l("Row %(row)s, column %(column)s holds a spreadsheet formula. Formulas are refused "
              "(they could run when the data is opened again in a spreadsheet): replace them by "
              "their values, or remove the leading =, +, - or @, and send the file again. "
              "Nothing was read.", row=row, column=column)


def _table(header, rows):
    headers = [" ".join((h or "").split()) for h in header]
    if not any(headers):
        return Table(errors=[_l("The file is empty or its first row holds no column names.")])
    if len(headers) > MAX_COLUMNS:
        return Table(errors=[_l("At most %(n)s columns.", n=MAX_COLUMNS)])
    body = []
    for number, row in [(1, header)] + rows:
        for column, cell in enumerate(row, 1):
            if isinstance(cell, str) and is_formula(cell):
                return Table(errors=[_formula_message(number, column)])
        if number == 1:
            continue
        cells = [(c or "").strip() for c in row[:len(headers)]]
        if any(cells):
            body.append((number, cells + [""] * (len(headers) - len(cells))))
    if not body:
        return Table(errors=[_l("The file has no rows of people.")])
    return Table(headers=headers, rows=body)

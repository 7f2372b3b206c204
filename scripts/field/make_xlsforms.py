"""Write the XLSForms that ship with ICRS (icrs/field/forms/<name>.xlsx) from their readable
definitions, scripts/field/forms/<name>/{survey,choices,settings}.csv (one CSV per sheet, the
XLSForm's own columns), then read each back with icrs.field.questionnaire to check it.

    .venv/bin/python scripts/field/make_xlsforms.py            # every form
    .venv/bin/python scripts/field/make_xlsforms.py follow_up_visit

Edit the CSV files, run this, commit both. The .xlsx is what ICRS reads (and what a programme
can open in a spreadsheet); the CSV files are what a review reads.
"""
import csv
import datetime as dt
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = Path(__file__).resolve().parent / "forms"
OUTPUT = ROOT / "icrs" / "field" / "forms"
SHEETS = ("survey", "choices", "settings")
FIXED_TIME = dt.datetime(2026, 1, 1)  # the same file for the same definition


def workbook(definition: Path) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        target = book.create_sheet(sheet)
        with open(definition / f"{sheet}.csv", newline="", encoding="utf-8") as rows:
            for row in csv.reader(rows):
                target.append(row)
    book.properties.created = book.properties.modified = FIXED_TIME
    return book


def make(name: str) -> Path:
    path = OUTPUT / f"{name}.xlsx"
    workbook(DEFINITIONS / name).save(path)
    return path


def main(names):
    sys.path.insert(0, str(ROOT))
    from icrs.field.questionnaire import read

    for name in names or sorted(p.name for p in DEFINITIONS.iterdir() if p.is_dir()):
        path = make(name)
        form = read(path)
        print(f"{path.relative_to(ROOT)}: {form.form_id} version {form.version}, "
              f"{len(form.questions)} questions, {len(form.coded)} coded")


if __name__ == "__main__":
    main(sys.argv[1:])

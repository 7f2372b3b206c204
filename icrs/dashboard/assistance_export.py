"""The assistance figures as shown: cells of an amount with the people behind it, for the page,
and the donor file, one line per assistance type and column, HXL-tagged. Both take the
figures after suppression (assistance_queries.Figure.shared)."""
import csv
import io
from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _

from icrs.dashboard.exports import _safe


@dataclass
class Cell:
    amount: str
    people: str


def _amount(value):
    if value is None:
        return ""
    return format_decimal(value) if isinstance(value, int) else str(value)


def _people(value):
    return "" if value is None else str(value)


def display_rows(figure):
    """(label, [Cell], total Cell, is_total) for each row of a shared figure."""
    out = []
    for amounts, people in zip(figure.amounts.rows, figure.people.rows, strict=True):
        cells = [Cell(_amount(a), _people(n)) for a, n in
                 zip(amounts.cells, people.cells, strict=True)]
        out.append((amounts.label, cells, Cell(_amount(amounts.total), _people(people.total)),
                    amounts.is_total))
    return out


def _header(figures, dim):
    names = [_("Funding source"), _("Assistance type"), str(dim.label)]
    tags = ["#org+funder", "#sector", dim.hxl]
    for figure in figures:
        names += [f"{figure.measure.title} (XAF)", _("People: %(what)s",
                                                      what=str(figure.measure.title))]
        tags += [figure.amounts.measure_hxl, figure.people.measure_hxl]
    return names, tags


def _lines(figures, types):
    """(funder, type, column, values…) for every row and column, totals included."""
    first = figures[0].amounts
    columns = [str(c.label) for c in first.columns] + [_("Total")]
    for i, row in enumerate(first.rows):
        funder, kind = (_("All"), _("All")) if row.is_total else types[row.key]
        for j, column in enumerate(columns):
            values = []
            for figure in figures:
                for table in (figure.amounts, figure.people):
                    line = table.rows[i]
                    value = line.cells[j] if j < len(line.cells) else line.total
                    values.append("" if value is None else value)
            yield [funder, kind, column, *values]


def donor_csv(figures, dim, types) -> bytes:
    """The shared figures as one HXL-tagged CSV (a figure withheld has blank values).
    `types`: {type id: (funding source name, type name)}."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names, tags = _header(figures, dim)
    writer.writerow([_safe(n) for n in names])
    writer.writerow(tags)
    for line in _lines(figures, types):
        writer.writerow([_safe(v) if isinstance(v, str) else v for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

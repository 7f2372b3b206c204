"""Indicator tables: one structure for the page, the charts, the shared report and the exports.

A table has rows (an indicator's categories, e.g. stages) and columns (the buckets of the chosen
disaggregation, e.g. female/male), plus a total column and usually a total row.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


def plain(value):
    """Enum members from GROUP BY compare equal to their value but hash differently."""
    return getattr(value, "value", value)


@dataclass
class Row:
    key: object
    label: str
    cells: list  # one value per column, same order as Table.columns
    total: object = None
    is_total: bool = False
    hxl: str = ""  # code for the HXL row-header column (a p-code, a status code …)


@dataclass
class Table:
    key: str
    title: str
    row_label: str
    columns: list  # Bucket-like: key, label, hxl
    rows: list = field(default_factory=list)
    row_hxl: str = "#indicator"
    measure_hxl: str = "#reached"
    # "count" cells are suppressed in shared outputs; "value" (rates, medians) and "mean" cells
    # are (value, n) pairs, hidden when n is 1-4 (icrs.dashboard.suppression)
    kind: str = "count"
    note: str = ""
    chart: str = "hbar"  # "hbar" (stacked bars), "line" (totals over time) or "" (table only)
    total_label: str = ""
    withheld: bool = False  # shared copy only: too few people for any figure to be published

    @property
    def body_rows(self):
        return [r for r in self.rows if not r.is_total]

    @property
    def is_empty(self):
        return not self.withheld and all(not r.total for r in self.body_rows)


def crosstab(key, title, row_label, pairs, row_buckets, columns, *, total_row=True, **kw):
    """Build a count table from (row_key, col_key, n) triples coming out of a GROUP BY.

    Every row bucket and column appears, with zeros where SQL returned nothing, so empty periods
    and places without data show as zeros rather than missing rows."""
    counts = {}
    for row_key, col_key, n in pairs:
        cell = (plain(row_key), plain(col_key))
        counts[cell] = counts.get(cell, 0) + int(n or 0)
    table = Table(key, title, row_label, list(columns), **kw)
    for bucket in row_buckets:
        cells = [counts.get((bucket.key, c.key), 0) for c in columns]
        table.rows.append(Row(bucket.key, bucket.label, cells, sum(cells),
                              hxl=str(getattr(bucket, "code", bucket.key))))
    if total_row:
        sums = [sum(r.cells[i] for r in table.rows) for i in range(len(columns))]
        table.rows.append(Row("total", str(_l("Total")), sums, sum(sums), is_total=True))
    return table

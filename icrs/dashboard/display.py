"""Localised display strings for table cells (counts, rates, medians) and the filter summary."""
from dataclasses import dataclass

from flask_babel import format_date, format_decimal, format_number
from flask_babel import lazy_gettext as _l

from icrs.core.models import Region, Site
from icrs.core.vocab import PersonCategory, Sex
from icrs.dashboard.forms import BY_CHOICES, EXTRA_BY
from icrs.dashboard.suppression import HIDDEN, MASK
from icrs.extensions import db

UNITS = {"acceptance": "percent", "completion": "percent", "days_to_accept": "days",
         "days_to_complete": "days"}


@dataclass
class DisplayRow:
    label: str
    cells: list
    total: str
    is_total: bool


def cell_text(value, unit=None):
    if isinstance(value, tuple):
        value, n = value
        if n in (MASK, HIDDEN):
            return n
        if value is None:
            return "—"
        if unit == "points":
            return _points(value)
        if unit == "mean":
            return format_decimal(value, format="#,##0.0")
        text = format_decimal(value, format="#,##0.0")
        return f"{text} %" if unit == "percent" else str(_l("%(n)s d", n=text))
    if value is None:
        return ""
    if isinstance(value, int):
        # below 1,000 no locale of ours groups digits: most cells skip Babel's formatter
        return str(value) if 0 <= value < 1000 else format_number(value)
    return str(value)


def _points(value):
    """A signed change in points: "+12.5", "−3.0" (a minus sign), "0.0"."""
    text = format_decimal(abs(value), format="#,##0.0")
    sign = "+" if value >= 0.05 else ("\u2212" if value <= -0.05 else "")
    return sign + text


def display_rows(table, unit=None):
    """Display strings of a table's rows; `unit` for every value cell, else by row key."""
    out = []
    for row in table.rows:
        shown = unit or UNITS.get(row.key)
        out.append(DisplayRow(row.label, [cell_text(v, shown) for v in row.cells],
                              cell_text(row.total, shown), row.is_total))
    return out


def describe(filters):
    """(label, value) pairs saying what the figures cover; place and code labels only."""
    everything = str(_l("All"))
    region = db.session.get(Region, filters.region_id) if filters.region_id else None
    site = db.session.get(Site, filters.site_id) if filters.site_id else None
    period = "{} – {}".format(format_date(filters.date_from) if filters.date_from else "…",
                              format_date(filters.date_to) if filters.date_to else "…")
    return [
        (_l("Period"), period if filters.date_from or filters.date_to else everything),
        (_l("Region"), region.label if region else everything),
        (_l("Site"), site.label if site else everything),
        (_l("Category"), PersonCategory(filters.category).label if filters.category
         else everything),
        (_l("Sex"), Sex(filters.sex).label if filters.sex else everything),
        (_l("Disaggregated by"), dict([*BY_CHOICES, *EXTRA_BY]).get(filters.by, filters.by)),
    ]

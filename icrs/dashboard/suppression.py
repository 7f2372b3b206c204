"""Small-cell suppression for anything shown outside the dashboard (exports, shared reports).

Counts from 1 to 4 become "<5" so that no one can be singled out; 0 and counts of 5 or more are
shown as they are. This is the only place that decides it."""
THRESHOLD = 5
MASK = "<5"


def suppress(value):
    """The value to publish for one count."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return MASK if 0 < value < THRESHOLD else value


def suppress_table(table):
    """A copy of `table` whose count cells (and totals) go through `suppress`; value tables
    (rates, medians) lose the figures that rest on fewer than five cases."""
    from copy import deepcopy

    shared = deepcopy(table)
    for row in shared.rows:
        if table.kind == "count":
            row.cells = [suppress(v) for v in row.cells]
            row.total = suppress(row.total)
        else:
            row.cells = [_suppress_value(v) for v in row.cells]
            row.total = _suppress_value(row.total)
    return shared


def _suppress_value(cell):
    """Value cells are (value, n) pairs: a rate or median computed on 1–4 cases is hidden."""
    if isinstance(cell, tuple) and len(cell) == 2:
        value, n = cell
        return (None, MASK) if isinstance(n, int) and 0 < n < THRESHOLD else cell
    return cell

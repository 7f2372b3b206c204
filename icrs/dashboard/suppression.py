"""Small-cell suppression for anything shown outside the dashboard (exports, shared reports).
Every shared table passes `suppress_table`; this is the only place that decides what is hidden.

Primary: counts from 1 to 4, totals included, become "<5" so that no one can be singled out.
Complementary: further counts become "x" until no hidden count can be worked out from the others
and the row, column and grand totals. Zeros are always shown: nobody is behind them.

What "worked out" means (what a reader is assumed to know and what they must not learn): the
reader knows every shown figure, that each row and column adds up to its total, that "<5" is
1 to 4 and "x" is 5 or more (zeros and 1–4 are never "x"). A table is safe when every hidden
entry can still take at least two values under those constraints: no hidden count, small or
not, can be pinned to its exact value (icrs.dashboard.inference decides it exactly). Rates and
medians are not additive; those resting on 1–4 cases are hidden and nothing else is needed.
Means over people ("mean" tables: the sustainability score's change) come with a pooled mean
of the row, from which a lone hidden mean could be worked out once the groups' sizes are
guessed: a hidden mean is never the only one of its row, the shown mean on the fewest people
goes with it (as x)."""
from copy import deepcopy

from icrs.dashboard.inference import UNBOUNDED, Grid

THRESHOLD = 5
MASK = "<5"
HIDDEN = "x"  # hidden only so that a "<5" next to it cannot be worked out from the totals
BOUNDS = {MASK: (1, THRESHOLD - 1), HIDDEN: (THRESHOLD, UNBOUNDED)}


def suppress(value):
    """The value to publish for one count, on its own (primary suppression only)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return MASK if 0 < value < THRESHOLD else value


def suppress_table(table):
    """A copy of `table` ready to share: a count table with its primary and complementary
    cells hidden; a value table (rates, medians) without the figures resting on 1–4 cases."""
    shared = deepcopy(table)
    if table.kind == "count":
        hidden = protect(_grid(shared))
        if hidden is None:
            _withhold(shared)
        else:
            _hide(shared, hidden)
    else:
        for row in shared.rows:
            row.cells = [_suppress_value(v) for v in row.cells]
            row.total = _suppress_value(row.total)
            if table.kind == "mean":
                _pair_hidden_mean(row)
    return shared


def _pair_hidden_mean(row):
    """A lone "<5" mean in a row with a shown pooled mean: hide the shown one on the fewest
    people too."""
    hidden = [c for c in row.cells if isinstance(c, tuple) and c[1] == MASK]
    shown = [(c[1], j) for j, c in enumerate(row.cells)
             if isinstance(c, tuple) and isinstance(c[1], int) and c[1] > 0]
    if len(hidden) == 1 and shown and row.total and row.total[1] != MASK:
        row.cells[min(shown)[1]] = (None, HIDDEN)


def suppress_amounts(amounts, people):
    """Shared copies of a table of amounts and of the table of the people behind its cells
    (same rows and columns). The entries hidden are those `protect` hides among the people: a
    sum over 1 to 4 people, then those that would give it away; both tables hide them (the
    amounts as "x"). Every hidden entry has people behind it, so a positive amount, and lies
    on a cycle of hidden entries (what protect guarantees): the amounts can move along that
    cycle as the counts can, and no hidden amount can be worked out from the totals either."""
    shared_amounts, shared_people = deepcopy(amounts), deepcopy(people)
    hidden = protect(_grid(shared_people))
    if hidden is None:
        _withhold(shared_amounts)
        _withhold(shared_people)
    else:
        _hide(shared_people, hidden)
        _hide(shared_amounts, dict.fromkeys(hidden, HIDDEN))
    return shared_amounts, shared_people


def protect(grid):
    """{entry: marker} for the entries of `grid` to hide: every 1–4 count, then the fewest
    further counts (smallest first, inner cells before totals) until none can be pinned; None
    when even hiding every non-zero count leaves one pinned (e.g. four "<5" adding up to a
    "<5": each is 1), so the table cannot be published at all."""
    hidden = {e: MASK for e, v in grid.values.items() if 0 < v < THRESHOLD}
    checked = set()  # hiding more only widens what a reader must allow: a safe entry stays safe
    while True:
        can_move = grid.movable(_bounds(grid, hidden))
        pinned = next((e for e in grid.order if e in hidden and e not in checked
                       and not _movable(can_move, e, checked)), None)
        if pinned is None:
            return hidden
        extra = _complement(grid, hidden, pinned)
        if extra is None:  # every non-zero count is already hidden: nothing more can help
            return None
        else:
            hidden[extra] = HIDDEN


def _movable(can_move, entry, checked):
    if can_move(entry):
        checked.add(entry)
        return True
    return False


def _bounds(grid, hidden):
    return {e: BOUNDS[hidden[e]] if e in hidden else (v, v) for e, v in grid.values.items()}


def _complement(grid, hidden, pinned):
    """The count to hide next for `pinned`: the first candidate on its lines that frees it on
    its own, else the first candidate on its lines, else the first anywhere."""
    def candidates(entries):
        shown = {e for e in entries if e not in hidden and grid.values[e] > 0}
        return sorted(shown, key=lambda e: (e[0] != "cell", grid.values[e], grid.position[e]))

    near = candidates([e for line in grid.lines(pinned) for e in line])
    for entry in near:
        trial = {**hidden, entry: HIDDEN}
        if grid.movable(_bounds(grid, trial))(pinned):
            return entry
    anywhere = near or candidates(grid.order)
    return anywhere[0] if anywhere else None


def _grid(table):
    body = table.body_rows
    totals = [r for r in table.rows if r.is_total]
    total = totals[0] if totals else None
    return Grid([r.cells for r in body], [r.total for r in body],
                total.cells if total else None, total.total if total else None)


def _hide(table, hidden):
    body = table.body_rows
    for i, row in enumerate(body):
        row.cells = [hidden.get(("cell", i, j), v) for j, v in enumerate(row.cells)]
        row.total = hidden.get(("row", i), row.total)
    for row in table.rows:
        if row.is_total:
            row.cells = [hidden.get(("col", j), v) for j, v in enumerate(row.cells)]
            row.total = hidden.get(("grand",), row.total)


def _withhold(table):
    """No figure at all: blanks, and the table says why."""
    for row in table.rows:
        row.cells = [None] * len(row.cells)
        row.total = None
    table.withheld = True


def _suppress_value(cell):
    """Value cells are (value, n) pairs: a rate or median computed on 1–4 cases is hidden."""
    if isinstance(cell, tuple) and len(cell) == 2:
        value, n = cell
        return (None, MASK) if isinstance(n, int) and 0 < n < THRESHOLD else cell
    return cell

"""An attacker for published count tables, independent of icrs.dashboard.inference: from the
rows as they are published (numbers, "<5", "x") and the rule that rows and columns add up to
their totals, find every hidden entry whose value linear programming pins to one number.

The reader's knowledge: "<5" is 1 to 4, "x" is 5 or more, shown numbers are exact. Count tables
with their margins are totally unimodular, so the LP's bounds are the integer bounds."""
from scipy.optimize import linprog

from icrs.dashboard.suppression import HIDDEN, MASK

RANGES = {MASK: (1, 4), HIDDEN: (5, None)}


def ranges(published, has_total_row):
    """{(row, col): (low, high)} for each hidden entry of `published` (a list of rows, each
    the list of its cells followed by its total; the last row is the total row when
    `has_total_row`). high is None when unbounded."""
    grid = [list(r) for r in published]
    unknown = [(i, j) for i, r in enumerate(grid) for j, v in enumerate(r) if isinstance(v, str)]
    if not unknown:
        return {}
    index = {pos: k for k, pos in enumerate(unknown)}
    equalities, targets = [], []
    body = grid[:-1] if has_total_row else grid
    width = len(grid[0]) - 1
    lines = [[(i, j) for j in range(width)] + [(i, width)] for i in range(len(body))]
    if has_total_row:
        last = len(grid) - 1
        lines += [[(i, j) for i in range(last)] + [(last, j)] for j in range(width + 1)]
    for line in lines:
        *parts, total = line
        coeffs, rhs = [0.0] * len(unknown), 0.0
        for pos, sign in [(p, 1.0) for p in parts] + [(total, -1.0)]:
            value = grid[pos[0]][pos[1]]
            if pos in index:
                coeffs[index[pos]] += sign
            else:
                rhs -= sign * value
        if any(coeffs):
            equalities.append(coeffs)
            targets.append(rhs)
    bounds = [RANGES[grid[i][j]] for i, j in unknown]
    found = {}
    for pos, k in index.items():
        objective = [0.0] * len(unknown)
        objective[k] = 1.0
        low = linprog(objective, A_eq=equalities or None, b_eq=targets or None, bounds=bounds)
        objective[k] = -1.0
        high = linprog(objective, A_eq=equalities or None, b_eq=targets or None, bounds=bounds)
        assert low.status == 0, (published, low.message)
        found[pos] = (round(low.fun), None if high.status == 3 else round(-high.fun))
    return found


def recovered(published, has_total_row):
    """The hidden entries the attacker pins to a single value."""
    return {pos: low for pos, (low, high) in ranges(published, has_total_row).items()
            if high is not None and high - low < 1}

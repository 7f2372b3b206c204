"""What a reader can work out from a published count table: whether a hidden entry can take
another value than its own, given everything else the table shows.

A count table with its totals is a circulation: the grand total flows from a source to one node
per row (the row totals), on to one node per column (the cells), to a sink (the column totals)
and back. A shown entry is an edge whose flow is known exactly; a hidden one an edge whose flow
is only known to lie in its marker's range. The tables a reader cannot rule out are the feasible
circulations, and the true table is one of them; an entry can take another value exactly when
it lies on a cycle of the true table's residual graph (the difference of two feasible
circulations splits into such cycles; tables of counts are totally unimodular, so integers and
reals agree). One graph search per entry decides it, without an LP library."""
from collections import deque

UNBOUNDED = 10**12  # "no upper bound": more than any count we publish


class Grid:
    """The entries of one count table: ("cell", i, j), ("row", i) the row totals and, when the
    table has a total row, ("col", j) the column totals and ("grand",)."""

    def __init__(self, cells, row_totals, col_totals=None, grand=None):
        self.shape = (len(cells), len(cells[0]) if cells else 0)
        self.values = {}
        for i, line in enumerate(cells):
            self.values.update({("cell", i, j): int(v) for j, v in enumerate(line)})
            self.values[("row", i)] = int(row_totals[i])
        self.has_totals = col_totals is not None
        if self.has_totals:
            self.values.update({("col", j): int(v) for j, v in enumerate(col_totals)})
            self.values[("grand",)] = int(grand)
        self.order = list(self.values)
        self.position = {e: k for k, e in enumerate(self.order)}

    def lines(self, entry):
        """The published sums `entry` takes part in, each as the list of its entries."""
        rows, cols = self.shape
        row_line = lambda i: [("cell", i, j) for j in range(cols)] + [("row", i)]  # noqa: E731
        col_line = lambda j: [("cell", i, j) for i in range(rows)] + [("col", j)]  # noqa: E731
        total_row = [("col", j) for j in range(cols)] + [("grand",)]
        total_col = [("row", i) for i in range(rows)] + [("grand",)]
        kind = entry[0]
        if kind == "cell":
            found = [row_line(entry[1])] + ([col_line(entry[2])] if self.has_totals else [])
        elif kind == "row":
            found = [row_line(entry[1])] + ([total_col] if self.has_totals else [])
        elif kind == "col":
            found = [col_line(entry[1]), total_row]
        else:
            found = [total_row, total_col]
        return found

    def movable(self, bounds):
        """A function telling, for a hidden entry, whether a reader who knows `bounds`
        (entry -> (low, high) for every entry) can still see it take another value."""
        arcs = {}  # node -> [(next node, entry)] of the residual graph
        for entry, (u, v) in self._edges():
            value = self._flow(entry)
            low, high = bounds.get(entry, (0, UNBOUNDED))
            if value < high:
                arcs.setdefault(u, []).append((v, entry))
            if value > low:
                arcs.setdefault(v, []).append((u, entry))

        def can_move(entry):
            u, v = self._ends(entry)
            value = self._flow(entry)
            low, high = bounds[entry]
            return ((value < high and _reaches(arcs, v, u, entry))
                    or (value > low and _reaches(arcs, u, v, entry)))
        return can_move

    def _flow(self, entry):
        if entry in self.values:
            return self.values[entry]
        rows, cols = self.shape
        if entry[0] == "col":
            return sum(self.values[("cell", i, entry[1])] for i in range(rows))
        return sum(self.values[("row", i)] for i in range(rows))

    def _edges(self):
        rows, cols = self.shape
        entries = ([("row", i) for i in range(rows)] + [("col", j) for j in range(cols)]
                   + [("cell", i, j) for i in range(rows) for j in range(cols)] + [("grand",)])
        return [(e, self._ends(e)) for e in entries]

    def _ends(self, entry):
        """Nodes: 0 the source, 1 the sink, 2.. the rows, then the columns."""
        rows = self.shape[0]
        if entry[0] == "row":
            return 0, 2 + entry[1]
        if entry[0] == "cell":
            return 2 + entry[1], 2 + rows + entry[2]
        if entry[0] == "col":
            return 2 + rows + entry[1], 1
        return 1, 0


def _reaches(arcs, start, goal, avoid):
    """Whether a residual path leads from `start` to `goal` without `avoid`'s own arcs."""
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        for nxt, entry in arcs.get(node, ()):
            if entry == avoid or nxt in seen:
                continue
            if nxt == goal:
                return True
            seen.add(nxt)
            queue.append(nxt)
    return False

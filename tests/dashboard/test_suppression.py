"""Small-cell suppression: 1–4 become "<5"; 0 is published as it is (see test_disclosure for
the complementary cells)."""
import pytest

from icrs.dashboard.suppression import HIDDEN, MASK, suppress, suppress_table
from icrs.dashboard.tables import Row, Table


@pytest.mark.parametrize("value,expected", [
    (0, 0), (1, MASK), (2, MASK), (3, MASK), (4, MASK), (5, 5), (6, 6), (1000, 1000),
    (None, None), ("text", "text"), (True, True),
])
def test_suppress(value, expected):
    assert suppress(value) == expected


def test_count_table_cells_and_totals_are_suppressed_in_a_copy():
    table = Table("t", "T", "Row", columns=[], rows=[Row("a", "A", [0, 3, 7], 10),
                                                      Row("b", "B", [4, 5, 0], 9)])
    shared = suppress_table(table)
    # 7 and 5 hide too, or 10 - 7 and 9 - 5 would give the small counts away
    assert [r.cells for r in shared.rows] == [[0, MASK, HIDDEN], [MASK, HIDDEN, 0]]
    assert [r.total for r in shared.rows] == [10, 9]
    assert table.rows[0].cells == [0, 3, 7]  # the original is untouched


def test_value_table_hides_figures_resting_on_fewer_than_five():
    table = Table("r", "Rates", "Indicator", columns=[], kind="value",
                  rows=[Row("acceptance", "A", [(50.0, 4), (60.0, 5), (None, 0)], (55.0, 9))])
    shared = suppress_table(table)
    assert shared.rows[0].cells == [(None, MASK), (60.0, 5), (None, 0)]
    assert shared.rows[0].total == (55.0, 9)
    small = Table("r", "Rates", "Indicator", columns=[], kind="value",
                  rows=[Row("completion", "C", [(100.0, 3)], (100.0, 3))])
    assert suppress_table(small).rows[0].total == (None, MASK)

"""Complementary suppression: no hidden count of a shared table can be worked out from what
the table publishes (an LP attacker, tests/dashboard/attack.py, must recover nothing)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icrs.dashboard import exports
from icrs.dashboard.suppression import HIDDEN, MASK, suppress_table
from icrs.dashboard.tables import Row, Table
from tests.dashboard.attack import ranges, recovered


def count_table(cells, total_row=True):
    table = Table("t", "T", "Row", columns=[], rows=[
        Row(i, f"r{i}", list(line), sum(line)) for i, line in enumerate(cells)])
    if total_row:
        sums = [sum(col) for col in zip(*cells, strict=True)]
        table.rows.append(Row("total", "Total", sums, sum(sums), is_total=True))
    return table


def published(table):
    """What the shared table shows: each row's cells then its total."""
    return [list(r.cells) + [r.total] for r in suppress_table(table).rows]


def assert_safe(table, original):
    shown = published(table)
    if suppress_table(table).withheld:  # nothing could protect it: no figure at all
        assert all(v is None for line in shown for v in line)
        return
    has_total_row = any(r.is_total for r in table.rows)
    assert recovered(shown, has_total_row) == {}, shown
    for line, before in zip(shown, original, strict=True):
        for value, true in zip(line, before, strict=True):
            if 0 < true < 5:
                assert value == MASK
            elif value not in (MASK, HIDDEN):
                assert value == true
            else:
                assert value == HIDDEN and true >= 5  # zeros are never hidden


def test_the_issue_example_is_no_longer_recoverable():
    """`Suspendu,<5,5,8` gave the masked cell as 3; the row and its column now hide more."""
    table = count_table([[3, 5], [6, 7], [9, 12]])
    before = [[3, 5, 8], [6, 7, 13], [9, 12, 21], [18, 24, 42]]
    primary_only = [[MASK, 5, 8], [6, 7, 13], [9, 12, 21], [18, 24, 42]]
    assert recovered(primary_only, True) == {(0, 0): 3}  # the attack works on the old output
    assert_safe(table, before)


def test_a_lone_small_total_is_hidden_with_a_partner():
    table = count_table([[2, 0], [0, 9], [7, 8]])
    shown = published(table)
    assert shown[0] == [MASK, 0, MASK]  # the row total 2 itself is small
    assert recovered(shown, True) == {}


def test_a_table_without_a_total_row_only_protects_its_rows():
    table = count_table([[0, 3, 7], [4, 5, 0]], total_row=False)
    shown = published(table)
    assert shown == [[0, MASK, HIDDEN, 10], [MASK, HIDDEN, 0, 9]]
    assert recovered(shown, False) == {}


def test_two_small_cells_summing_to_two_are_not_left_alone():
    """1 and 1 hidden in a row of 22: the attacker knows both are at least 1, so they are 1."""
    table = count_table([[1, 1, 20], [8, 9, 30]])
    assert_safe(table, [[1, 1, 20, 22], [8, 9, 30, 47], [9, 10, 50, 69]])


def test_a_table_that_cannot_be_protected_is_withheld():
    """Four "<5" adding up to a "<5" total: each must be 1, whatever else is hidden."""
    shared = suppress_table(count_table([[1, 1, 1, 1]], total_row=False))
    assert shared.withheld and shared.rows[0].cells == [None] * 4 and not shared.is_empty


def test_value_tables_are_left_to_primary_suppression():
    table = Table("r", "Rates", "Indicator", columns=[], kind="value",
                  rows=[Row("acceptance", "A", [(50.0, 4), (60.0, 5)], (55.0, 9))])
    assert suppress_table(table).rows[0].cells == [(None, MASK), (60.0, 5)]


counts = st.one_of(st.just(0), st.integers(1, 4), st.integers(5, 30))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 6).flatmap(lambda cols: st.lists(
    st.lists(counts, min_size=cols, max_size=cols), min_size=1, max_size=7)), st.booleans())
def test_generated_tables_give_nothing_away(cells, total_row):
    table = count_table(cells, total_row)
    original = [list(r.cells) + [r.total] for r in table.rows]
    assert_safe(table, original)


# --- the demo's own tables, as every export publishes them ------------------------------------
@pytest.fixture
def demo_user(db):
    pytest.importorskip("icrs.demo.people")
    import sqlalchemy as sa

    from icrs.auth.models import User
    from icrs.demo import DemoContext, accounts, directory, people, places, referrals
    ctx = DemoContext(password="demo-password-1")
    for part in (places, accounts, directory, people, referrals):
        part.load(ctx)
    db.session.flush()
    return db.session.scalar(sa.select(User).where(User.username == "supervisor.national"))


def test_demo_tables_give_nothing_away(demo_user):
    """One demo load (it takes a while) for every disaggregation."""
    from icrs.dashboard import indicators
    from icrs.dashboard.filters import Filters

    tables = [t for by in ("sex", "age", "category", "region", "site")
              for t in indicators.build(Filters(by=by), demo_user).tables]
    checked = 0
    for table in tables:
        if table.kind != "count":
            continue
        rows = [line[1:] for line in exports.rows(table)]  # what CSV, XLSX and HXL carry
        assert recovered(rows, any(r.is_total for r in table.rows)) == {}, table.key
        checked += any(isinstance(v, str) for line in rows for v in line)
    assert checked  # the demo does have small counts to protect


def test_csv_export_header_is_exact(client, world, national):
    from tests.dashboard.conftest import PERIOD
    response = client.get("/dashboard/export/stages.csv", query_string=PERIOD)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_ranges_reports_unbounded_hidden_counts():
    assert ranges([[HIDDEN, HIDDEN, 12]], False) == {(0, 0): (5, 7), (0, 1): (5, 7)}

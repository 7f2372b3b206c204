"""SVG charts: accessible names, text labels, patterns as well as colour, no inline style."""
import re

from icrs.dashboard import charts
from icrs.dashboard.dims import Bucket
from icrs.dashboard.tables import crosstab

COLUMNS = [Bucket("female", "Female", "+f"), Bucket("male", "Male", "+m")]
ROWS = [Bucket("a", "Registered <new>", ""), Bucket("b", "Profiled", "")]


def _table(pairs, chart="hbar"):
    return crosstab("t", "People & stages", "Stage", pairs, ROWS, COLUMNS, chart=chart)


def test_stacked_bars_are_accessible(app):
    with app.test_request_context():
        svg = str(charts.render(_table([("a", "female", 3), ("a", "male", 2),
                                        ("b", "male", 1)]), "c1"))
    assert 'role="img"' in svg and 'aria-labelledby="c1-t c1-d"' in svg
    assert '<title id="c1-t">People &amp; stages</title>' in svg
    assert re.search(r'<desc id="c1-d">[^<]+Registered &lt;new&gt; \(5\)', svg)
    assert "Registered &lt;new&gt;</text>" in svg  # labels are text, escaped
    assert ">5</text>" in svg and ">1</text>" in svg  # totals written next to the bars
    assert 'fill="url(#c1-p1)"' in svg and '<pattern id="c1-p1"' in svg  # pattern, not colour
    assert "Female</text>" in svg and "Male</text>" in svg  # legend
    assert "style" not in svg and "<script" not in svg


def test_line_chart_labels_points(app):
    with app.test_request_context():
        svg = str(charts.render(_table([("a", "female", 7), ("b", "male", 2)], "line"), "c2"))
    assert "<polyline" in svg and svg.count("<circle") == 2
    assert ">7</text>" in svg and ">Profiled</text>" in svg


def test_empty_table_draws_nothing(app):
    with app.test_request_context():
        assert str(charts.render(_table([]), "c3")) == ""


def test_round_axis_maximum():
    assert [charts._nice_top(v) for v in (0, 3, 5, 9, 99, 101, 1234)] == [
        4, 4, 8, 20, 100, 200, 2000]

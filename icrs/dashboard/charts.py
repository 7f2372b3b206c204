"""Server-side SVG charts (stacked horizontal bars and a line), accessible without JavaScript.

Each chart is an inline <svg role="img"> with <title>/<desc>, text labels for every bar and point,
and series told apart by pattern as well as colour (dark enough for 3:1 against white). Only
presentation attributes are used: the CSP forbids inline style. The numbers are always also given
as a table next to the chart."""
import math
import unicodedata

from flask_babel import gettext as _
from markupsafe import Markup, escape

FONT = 'font-family="system-ui, sans-serif" font-size="13" fill="#1b1f23"'
COLOURS = ["#1d4f73", "#a34a00", "#1e6b3a", "#6a3d9a", "#8c1d40", "#4d4d4d", "#005f73"]
# Pattern overlays drawn in white on the series colour (the first series stays solid).
MARKS = ["", '<path d="M0 8 L8 0" stroke="#fff" stroke-width="2"/>',
         '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
         '<path d="M0 4 H8" stroke="#fff" stroke-width="2"/>',
         '<path d="M0 8 L8 0 M0 0 L8 8" stroke="#fff" stroke-width="1.5"/>',
         '<path d="M4 0 V8" stroke="#fff" stroke-width="2"/>',
         '<path d="M0 0 L8 8" stroke="#fff" stroke-width="2"/>']
WIDTH, VALUE_W, ROW_H, BAR_H, FONT_SIZE = 720, 70, 26, 18, 13
MIN_LABEL_W, MAX_LABEL_W = 80, 320  # the row-label column grows with the longest label
# Advance widths (in em) of a common sans-serif (Helvetica/Arial metrics, rounded up a little),
# so that labels are measured rather than counted: "Mmm" is wider than "ill".
_EM = {**dict.fromkeys("iljI.,;:'!|", 0.30), **dict.fromkeys("ftr()[]-/ ", 0.37),
       **dict.fromkeys("mwMW", 0.92), **dict.fromkeys("0123456789", 0.58)}


def text_width(text, size=FONT_SIZE):
    """Estimated width in pixels of `text` drawn in FONT at `size`."""
    total = 0.0
    for char in str(text):
        base = unicodedata.normalize("NFD", char)[0]
        total += _EM.get(base, 0.70 if base.isupper() else 0.58)
    return total * size


def _label_width(labels):
    widest = max((text_width(label) for label in labels), default=0)
    return min(max(math.ceil(widest) + 12, MIN_LABEL_W), MAX_LABEL_W)


def _fit(label, width):
    """The label, cut at a word with an ellipsis only when wider than the label column."""
    label = str(label)
    if text_width(label) <= width:
        return label
    words, out = label.split(), ""
    for word in words:
        candidate = f"{out} {word}".strip()
        if text_width(candidate + "…") > width:
            break
        out = candidate
    if not out:  # the first word alone is too wide: cut it
        out = label
        while out and text_width(out + "…") > width:
            out = out[:-1]
    return out.rstrip(" ,;:-–") + "…"


def _fmt(n):
    return f"{n:,}".replace(",", "\u202f") if isinstance(n, int) else str(n)


def _patterns(cid, count):
    defs = []
    for i in range(count):
        colour, mark = COLOURS[i % len(COLOURS)], MARKS[i % len(MARKS)]
        defs.append(f'<pattern id="{cid}-p{i}" width="8" height="8" '
                    f'patternUnits="userSpaceOnUse"><rect width="8" height="8" '
                    f'fill="{colour}"/>{mark}</pattern>')
    return "<defs>" + "".join(defs) + "</defs>"


def _frame(cid, height, title, desc, body):
    # Every text that reaches `body` went through escape(); ids and numbers are ours.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{cid}-t {cid}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'class="chart"><title id="{cid}-t">{escape(title)}</title>'
        f'<desc id="{cid}-d">{escape(desc)}</desc>{body}</svg>')


def _legend(cid, columns, y):
    items, x = [], 0
    for i, col in enumerate(columns):
        label = escape(col.label)
        width = 28 + int(text_width(col.label))
        if x + width > WIDTH:
            x, y = 0, y + 20
        items.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="url(#{cid}-p{i})" '
                     f'stroke="#1b1f23" stroke-width="0.5"/>'
                     f'<text x="{x + 20}" y="{y + 12}" {FONT}>{label}</text>')
        x += width + 12
    return "".join(items), y + 20


def stacked_bars(table, cid):
    """One horizontal bar per row, split into the table's columns (the disaggregation)."""
    rows = table.body_rows
    top = max((r.total or 0) for r in rows) if rows else 0
    label_w = _label_width(r.label for r in rows)
    scale = (WIDTH - label_w - VALUE_W) / top if top else 0
    parts = [_patterns(cid, len(table.columns))]
    for n, row in enumerate(rows):
        y = n * ROW_H
        parts.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end" {FONT}>'
                     f'{escape(_fit(row.label, label_w - 12))}</text>')
        x = label_w
        for i, value in enumerate(row.cells):
            w = (value or 0) * scale
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{BAR_H}" '
                             f'fill="url(#{cid}-p{i})" stroke="#fff" stroke-width="1"/>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" {FONT}>{_fmt(row.total or 0)}</text>')
    legend, height = _legend(cid, table.columns, len(rows) * ROW_H + 10)
    parts.append(legend)
    desc = _("Horizontal bars, one per %(row)s, divided by %(col)s. Largest: %(top)s. "
             "The table that follows gives every number.", row=table.row_label.lower(),
             col=", ".join(str(c.label) for c in table.columns), top=_largest(rows))
    return _frame(cid, height + 4, table.title, desc, "".join(parts))


def _largest(rows):
    best = max(rows, key=lambda r: r.total or 0, default=None)
    return f"{best.label} ({_fmt(best.total or 0)})" if best and best.total else "—"


def line(table, cid, height=240):
    """Totals over the table's rows (months) as a line with labelled points."""
    rows = table.body_rows
    values = [r.total or 0 for r in rows]
    top = _nice_top(max(values, default=0))
    left = max(50, int(text_width(_fmt(top))) + 14)  # room for the widest axis label
    right, bottom, head = 20, 40, 20
    plot_h, plot_w = height - bottom - head, WIDTH - left - right
    step = plot_w / max(len(rows) - 1, 1)
    points = [(left + i * step, head + plot_h - v * plot_h / top) for i, v in enumerate(values)]
    parts = [_axis(left, head, plot_w, plot_h, top)]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[0]}" '
                     f'stroke-width="2.5"/>')
    every = max(1, len(rows) // 12 + (1 if len(rows) % 12 else 0))
    for i, ((x, y), row) in enumerate(zip(points, rows, strict=True)):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLOURS[0]}"/>')
        if i % every == 0 or i == len(rows) - 1:
            parts.append(f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" {FONT}>'
                         f'{_fmt(values[i])}</text>'
                         f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                         f'{FONT}>{escape(row.label)}</text>')
    desc = _("Line of the monthly totals from %(first)s to %(last)s; highest %(top)s. "
             "The table that follows gives every number.",
             first=rows[0].label if rows else "—", last=rows[-1].label if rows else "—",
             top=_largest(rows))
    return _frame(cid, height, table.title, desc, "".join(parts))


def _nice_top(value, ticks=4):
    """The smallest round step (1, 2, 2.5, 5 × 10ⁿ) × ticks reaching value: round axis labels."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude // 2, 5 * magnitude):
            if step * ticks >= value and step == int(step):
                return int(step) * ticks
        magnitude *= 10


def _axis(left, head, plot_w, plot_h, top):
    parts = [f'<path d="M{left} {head} V{head + plot_h} H{left + plot_w}" stroke="#5a6570" '
             f'fill="none"/>']
    for k in range(5):
        value = top * k // 4
        y = head + plot_h - plot_h * k / 4
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>'
                     f'{_fmt(value)}</text>')
        if k:
            parts.append(f'<path d="M{left} {y:.1f} H{left + plot_w}" stroke="#d4d9de" '
                         f'stroke-dasharray="3 3"/>')
    return "".join(parts)


def render(table, cid):
    """The chart for a table, or an empty Markup when the table has nothing to draw."""
    if table.is_empty or not table.chart:
        return Markup("")
    return line(table, cid) if table.chart == "line" else stacked_bars(table, cid)

"""Portable SQL expressions the dashboard needs: month bucket and days between two timestamps
(SQLite and PostgreSQL spell them differently)."""
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class month_of(FunctionElement):  # noqa: N801 - SQL function style
    """'YYYY-MM' of a timestamp."""

    type = sa.String()
    inherit_cache = True


@compiles(month_of)
def _month_default(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement):  # noqa: N801
    """Fractional days from the first timestamp to the second."""

    type = sa.Float()
    inherit_cache = True


@compiles(days_between)
def _days_default(element, compiler, **kw):
    start, end = list(element.clauses)
    end, start = compiler.process(end, **kw), compiler.process(start, **kw)
    # date_part() gives a double; EXTRACT gives a numeric (PostgreSQL 14+), three times slower
    # over the 300,000 referrals of an all-time dashboard.
    return f"(date_part('epoch', {end} - {start}) / 86400.0)"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    end, start = compiler.process(end, **kw), compiler.process(start, **kw)
    return f"(julianday({end}) - julianday({start}))"


class floor_int(FunctionElement):  # noqa: N801
    """Largest integer not above a non-negative number (SQLite builds may lack floor())."""

    type = sa.Integer()
    inherit_cache = True


@compiles(floor_int)
def _floor_default(element, compiler, **kw):
    return f"CAST(FLOOR({compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(floor_int, "sqlite")
def _floor_sqlite(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


class unindexed(FunctionElement):  # noqa: N801
    """The value unchanged, but no index order can serve it: SQLite's planner otherwise reads
    a whole table through an index that only half-sorts a GROUP BY (see referral_queries)."""

    inherit_cache = True

    def __init__(self, expr):
        super().__init__(expr)
        self.type = expr.type


@compiles(unindexed)
def _unindexed_default(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw):
    return f"+{compiler.process(element.clauses, **kw)}"  # unary + is a no-op in SQLite

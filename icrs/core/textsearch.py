"""Accent- and case-insensitive "contains" in SQL, on SQLite and PostgreSQL: neither folds
accents by itself (SQLite's lower() does not even lower "É"), and the tables searched this way
(the service directory) are small and not encrypted, so the column is folded in the query:
PostgreSQL with translate(), SQLite with the same Python function as the search text (registered
on every SQLite connection)."""
import sqlite3

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from icrs.core.names import fold

SQLITE_FUNCTION = "icrs_fold"
_ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyy"
_LIGATURES = (("œ", "oe"), ("æ", "ae"))


def fold_text(text) -> str:
    """Lower case, no accents, œ and æ spelt out: "Œuvre Métiers" -> "oeuvre metiers"."""
    folded = fold(text)
    for ligature, plain in _LIGATURES:
        folded = folded.replace(ligature, plain)
    return folded


class folded(FunctionElement):  # noqa: N801 - reads as SQL: folded(column)
    """SQL: `column` as `fold_text` would give it."""
    type = sa.String()
    inherit_cache = True


@compiles(folded)
def _folded_sqlite(element, compiler, **kw):
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element, compiler, **kw):
    expr = sa.func.translate(sa.func.lower(*element.clauses.clauses), _ACCENTED, _PLAIN)
    for ligature, plain in _LIGATURES:
        expr = sa.func.replace(expr, ligature, plain)
    return compiler.process(expr, **kw)


def contains(column, text):
    """`column` contains `text`, ignoring case and accents (LIKE wildcards in `text` escaped)."""
    return folded(column).contains(fold_text(text), autoescape=True)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _register_sqlite_function(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(SQLITE_FUNCTION, 1, _fold_or_none, deterministic=True)


def _fold_or_none(value):
    return None if value is None else fold_text(value)

"""Accent- and case-insensitive "contains" in SQL, the same on SQLite and PostgreSQL: neither
folds accents by itself (SQLite's lower() does not even lower "É"), and the tables searched this
way (the service directory) are small and not encrypted, so the column is folded in the query."""
import sqlalchemy as sa

from icrs.core.names import fold

# the accented letters of French and of the names of Cameroon, both cases, to their base letter
_ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyy" + "\0\0" + "aaaaaaceeeeiiiinooooouuuuyy"


def folded(column):
    """SQL of `column` in lower case without accents (œ and æ become oe and ae)."""
    expr = sa.func.lower(column)
    for accented, plain in zip(_ACCENTED, _PLAIN, strict=True):
        if plain != "\0":
            expr = sa.func.replace(expr, accented, plain)
    for ligature, plain in (("œ", "oe"), ("æ", "ae"), ("Œ", "oe"), ("Æ", "ae")):
        expr = sa.func.replace(expr, ligature, plain)
    return expr


def contains(column, text):
    """`column` contains `text`, ignoring case and accents (LIKE wildcards in `text` escaped)."""
    needle = fold(text).replace("œ", "oe").replace("æ", "ae")
    return folded(column).contains(needle, autoescape=True)

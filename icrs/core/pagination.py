"""Pagination of SQLAlchemy selects, with a page size bounded for slow links."""
from dataclasses import dataclass

import sqlalchemy as sa

from icrs.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


# Far beyond any real list; keeps OFFSET inside the databases' 64-bit integers whatever the
# query string says (a 400-digit ?page= used to overflow and answer 500).
MAX_PAGE = 1_000_000


def paginate(stmt, page=1, per_page=25, count_stmt=None, key=None, total=None):
    """One page of `stmt`. With `key` (the primary key column), the page's keys are chosen first
    by the same filter and order (a narrow query an index can answer), then only those rows are
    loaded: sorting thousands of full rows to keep 25 is what makes long lists slow. `total`:
    the row count when the caller already knows it (no count query)."""
    page = min(max(1, page), MAX_PAGE)
    per_page = min(max(1, per_page), 100)
    if total is None:
        if count_stmt is None:
            count_stmt = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
        total = db.session.scalar(count_stmt) or 0
    if key is None:
        items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    else:
        keys = stmt.with_only_columns(key).limit(per_page).offset((page - 1) * per_page)
        items = db.session.scalars(stmt.where(key.in_(keys.scalar_subquery()))).all()
    return Page(list(items), page, per_page, total)


def page_arg(args):
    """The ?page= number, between 1 and MAX_PAGE; 1 when it is not a number."""
    raw = str(args.get("page", 1)).strip()
    if len(raw) > len(str(MAX_PAGE)):
        return MAX_PAGE if raw.isascii() and raw.isdigit() else 1
    try:
        return min(max(1, int(raw)), MAX_PAGE)
    except ValueError:
        return 1

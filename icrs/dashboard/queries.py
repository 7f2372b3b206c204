"""People indicators: each one GROUP BY query over plain coarse columns, turned into a Table.
Nothing here touches an encrypted column."""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.auth.models import User
from icrs.dashboard.dims import Bucket
from icrs.dashboard.sqlfuncs import month_of
from icrs.dashboard.tables import crosstab
from icrs.extensions import db
from icrs.people.models import Consent, ConsentPurpose, Person, StageChange
from icrs.people.states import ORDER, Stage

OPEN_STAGES = [*ORDER[:-1], Stage.SUSPENDED]
EARLIEST = dt.datetime(1900, 1, 1)


@dataclass(frozen=True)
class Indicator:
    """A statement and what makes its table from its rows: the dashboard reads the statements
    of all its indicators on two connections at once (icrs.dashboard.overlap)."""
    statement: object
    table: Callable


def _grouped(row_expr, dim, *conditions, select_from=Person, joins=(), count=None):
    """The statement giving (row, column, count) triples: the core GROUP BY of every people
    indicator."""
    measure = sa.func.count() if count is None else sa.func.count(sa.distinct(count))
    stmt = sa.select(row_expr.label("r"), dim.expr.label("c"), measure).select_from(select_from)
    for target, onclause in joins:
        stmt = stmt.join(target, onclause)
    return stmt.where(*conditions).group_by(row_expr, dim.expr)


def _enum_rows(enum_cls, members=None):
    return [Bucket(m.value, str(m.label), f"+{m.value}") for m in (members or list(enum_cls))]


def _lookup_rows(vocabulary):
    """Every entry of an admin-editable list, retired ones too: old records keep counting."""
    return [Bucket(e.code, e.label, f"+{e.code}") for e in lookups.entries(vocabulary)]


def stage_funnel(filters, dim):
    """People registered in the period, by their current stage (the funnel)."""
    return Indicator(_grouped(Person.stage, dim, *filters.person_conditions(),
                              *filters.in_period(Person.registered_at)),
                     lambda pairs: crosstab(
                         "stages", str(_l("People by stage")), str(_l("Stage")), pairs,
                         _enum_rows(Stage, [*ORDER, Stage.SUSPENDED, Stage.EXITED]),
                         dim.buckets, row_hxl="#status+stage", measure_hxl="#reached",
                         note=str(_l("People registered in the period, by their current "
                                     "stage."))))


def registrations_by_month(filters, dim):
    month = month_of(Person.registered_at)

    def table(pairs):
        months = _month_buckets(filters, sorted({p[0] for p in pairs if p[0]}))
        return crosstab("registrations", str(_l("Registrations by month")), str(_l("Month")),
                        pairs, months, dim.buckets, row_hxl="#date+month",
                        measure_hxl="#reached+registered", chart="line")
    return Indicator(_grouped(month, dim, *filters.person_conditions(),
                              *filters.in_period(Person.registered_at)), table)


def _month_buckets(filters, seen):
    """Every month of the period (so quiet months show as zero), else the months with data."""
    first = filters.date_from.strftime("%Y-%m") if filters.date_from else (seen[0] if seen
                                                                           else None)
    last = filters.date_to.strftime("%Y-%m") if filters.date_to else (seen[-1] if seen
                                                                       else None)
    if first is None or last is None:
        return []
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last and len(months) < 240:
        months.append(Bucket(f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}", ""))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def caseload_statement(filters, dim):
    """(caseworker id, column, n) of the open cases (active or suspended), now."""
    return (sa.select(Person.caseworker_id, dim.expr, sa.func.count())
            .where(*filters.person_conditions(), Person.stage.in_(OPEN_STAGES))
            .group_by(Person.caseworker_id, dim.expr))


def caseload_by_caseworker(pairs, dim):
    """Open cases per assigned caseworker, now, from the rows of caseload_statement."""
    ids = [p[0] for p in pairs if p[0] is not None]
    workers = db.session.execute(sa.select(User.id, User.full_name, User.username)
                                 .where(User.id.in_(ids)).order_by(User.full_name)).all() \
        if ids else []
    rows = [Bucket(w.id, w.full_name or w.username, "") for w in workers]
    if any(p[0] is None for p in pairs):
        rows.append(Bucket(None, str(_l("Not assigned")), ""))
    return crosstab("caseload", str(_l("Caseload per caseworker")), str(_l("Caseworker")),
                    pairs, rows, dim.buckets, row_hxl="#contact+caseworker",
                    measure_hxl="#reached+caseload",
                    note=str(_l("Open cases (active or suspended) today; the period is not "
                                "applied.")))


def exits_by_reason(filters, dim):
    """Exits recorded in the period, by reason (a person who exits twice counts twice)."""
    stmt = _grouped(StageChange.reason, dim, *filters.person_conditions(),
                    StageChange.to_stage == Stage.EXITED, *filters.in_period(StageChange.at),
                    select_from=StageChange, joins=[(Person, Person.id == StageChange.person_id)])
    return Indicator(stmt, lambda pairs: crosstab(
        "exits", str(_l("Exits by reason")), str(_l("Reason")), pairs, _lookup_rows("exit_reason"),
        dim.buckets, row_hxl="#status+exit_reason", measure_hxl="#reached+exited"))


def consent_withdrawals(filters, dim):
    """People who withdrew a consent in the period, by purpose of the consent withdrawn (a
    consent closed by its renewal under a new text is not a withdrawal)."""
    # "IS NOT NULL" alone leads SQLite to scan every person and probe their consents (0.9 s
    # for 100,000 people); a lower bound makes it read the withdrawal index instead (15 ms).
    since = [] if filters.start else [Consent.withdrawn_at >= EARLIEST]
    stmt = _grouped(Consent.purpose, dim, *filters.person_conditions(),
                    Consent.withdrawn_at.is_not(None), Consent.superseded_by_id.is_(None),
                    *since,
                    *filters.in_period(Consent.withdrawn_at),
                    select_from=Consent, joins=[(Person, Person.id == Consent.person_id)],
                    count=Consent.person_id)
    return Indicator(stmt, lambda pairs: crosstab(
        "withdrawals", str(_l("Consent withdrawals")), str(_l("Purpose")), pairs,
        _enum_rows(ConsentPurpose), dim.buckets, row_hxl="#indicator+consent",
        measure_hxl="#reached+withdrawn", total_row=False,
        note=str(_l("People who withdrew a consent in the period, by the purpose of that "
                    "consent."))))

"""Assistance figures: amounts committed, disbursed and verified, in XAF, by assistance type
(with its funding source) and the dashboard's disaggregation, each with the number of people
behind it. Three GROUP BY statements over plain columns (amounts, statuses, dates, the
person's coarse dimensions); nothing encrypted is read.

Committed: entitlements approved in the period that are still granted (approved, fully
disbursed, verified). Disbursed: ledger lines handed over in the period and not reversed (a
line and its reversal cancel out, so each correction counts once, never below zero).
Verified: entitlements with the status "verified", once the lifecycle has it (0 until then).

One table per measure, rows the assistance types grouped by funding source: a separate
table by funding source would publish the sum of its types' rows, from which a hidden type
could be worked out by subtraction."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from icrs.assistance.models import (
    DEFAULT_CURRENCY,
    AssistanceType,
    Entitlement,
    FundingSource,
    Handover,
)
from icrs.assistance.states import COMMITTED, EntitlementStatus
from icrs.dashboard.dims import Bucket
from icrs.dashboard.suppression import suppress_amounts
from icrs.dashboard.tables import crosstab
from icrs.extensions import db
from icrs.people.models import Person

# Written against the values, so that it counts once the lifecycle gains the status.
VERIFIED = frozenset(m for m in EntitlementStatus if m.value == "verified")
GRANTED = frozenset(COMMITTED) | VERIFIED


@dataclass
class Measure:
    key: str
    title: str
    note: str
    hxl: str  # the HXL attribute of the measure: "+committed" …


MEASURES = [
    Measure("committed", _l("Amounts committed"),
            _l("Assistance approved in the period and still granted (fully disbursed "
               "included)."), "+committed"),
    Measure("disbursed", _l("Amounts disbursed"),
            _l("Handovers made in the period, without those corrected by a reversing "
               "line."), "+disbursed"),
    Measure("verified", _l("Amounts verified"),
            _l("Assistance approved in the period whose handover was confirmed by a spot "
               "check."), "+verified"),
]


@dataclass
class Figure:
    """One measure as two tables of the same shape: the amounts and the people behind them."""
    measure: Measure
    amounts: object
    people: object

    @property
    def key(self):
        return self.measure.key

    def shared(self):
        amounts, people = suppress_amounts(self.amounts, self.people)
        return Figure(self.measure, amounts, people)


def _granted(filters, statuses):
    return [Entitlement.status.in_(statuses), Entitlement.currency == DEFAULT_CURRENCY,
            *filters.person_conditions(), *filters.in_period(Entitlement.approved_at)]


def _by_type(dim, value, *conditions, select_from=Entitlement, joins=()):
    """(type, column, amount, people) rows."""
    stmt = sa.select(Entitlement.assistance_type_id, dim.expr, sa.func.sum(value),
                     sa.func.count(sa.distinct(Entitlement.person_id))).select_from(select_from)
    for target, onclause in joins:
        stmt = stmt.join(target, onclause)
    return (stmt.join(Person, Person.id == Entitlement.person_id).where(*conditions)
            .group_by(Entitlement.assistance_type_id, dim.expr))


def committed_statement(filters, dim):
    return _by_type(dim, Entitlement.amount, *_granted(filters, GRANTED))


def verified_statement(filters, dim):
    if not VERIFIED:
        return None
    return _by_type(dim, Entitlement.amount, *_granted(filters, VERIFIED))


def disbursed_statement(filters, dim):
    reversal = aliased(Handover)
    days = []
    if filters.date_from is not None:
        days.append(Handover.handed_on >= filters.date_from)
    if filters.date_to is not None:
        days.append(Handover.handed_on <= filters.date_to)
    return (_by_type(dim, Handover.value, Handover.reverses_id.is_(None),
                     reversal.id.is_(None), Entitlement.currency == DEFAULT_CURRENCY,
                     *filters.person_conditions(), *days, select_from=Handover,
                     joins=[(Entitlement, Entitlement.id == Handover.entitlement_id)])
            .outerjoin(reversal, reversal.reverses_id == Handover.id))


STATEMENTS = {"committed": committed_statement, "disbursed": disbursed_statement,
              "verified": verified_statement}


def type_names():
    """{type id: (funding source name, type name)} of every assistance type, retired ones too
    (old entitlements keep counting), grouped by funding source."""
    rows = db.session.execute(sa.select(AssistanceType, FundingSource.name)
                              .join(FundingSource,
                                    FundingSource.id == AssistanceType.funding_source_id)
                              .order_by(FundingSource.code, AssistanceType.code)).all()
    return {kind.id: (funder, kind.name) for kind, funder in rows}


def type_rows(names):
    return [Bucket(key, f"{funder} — {name}", "") for key, (funder, name) in names.items()]


def figures(filters, dim, names):
    """The three figures (unsuppressed), in page order; `names` from type_names()."""
    rows = type_rows(names)
    out = []
    for measure in MEASURES:
        stmt = STATEMENTS[measure.key](filters, dim)
        found = db.session.execute(stmt).all() if stmt is not None else []
        out.append(Figure(measure, _table(measure, rows, dim, [(r, c, a) for r, c, a, _ in
                                                                found], "amounts"),
                          _table(measure, rows, dim, [(r, c, n) for r, c, _, n in found],
                                 "people")))
    return out


def _table(measure, rows, dim, triples, part):
    return crosstab(f"assistance_{measure.key}_{part}", str(measure.title),
                    str(_l("Assistance type")), triples, rows, dim.buckets,
                    row_hxl="#sector", note=str(measure.note),
                    measure_hxl=f"#value{measure.hxl}+xaf" if part == "amounts"
                    else f"#affected+num{measure.hxl}",
                    kind="amount" if part == "amounts" else "count", chart="")

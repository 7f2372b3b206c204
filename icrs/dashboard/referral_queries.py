"""Referral indicators: counts by status, service category and provider, acceptance and
completion rates, median days to acceptance and to completion, and the overdue worklist.

One statement: the join of referral and person is made once (a materialised CTE) and grouped
three ways: counts and rates by status, service and provider; and histograms of the days to
acceptance and to completion in tenths of a day, from which the medians are read. No referral
row is ever loaded into Python."""
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.core.models import Site
from icrs.dashboard.dims import Bucket
from icrs.dashboard.filters import PersonColumns
from icrs.dashboard.sqlfuncs import days_between, floor_int
from icrs.dashboard.tables import Row, Table, crosstab, plain
from icrs.directory.models import Organisation, Service, TaxonomyTerm
from icrs.extensions import db
from icrs.people.models import Person
from icrs.referrals.deadlines import overdue_clause
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus

SENT_STATUSES = [s for s in ReferralStatus if s != ReferralStatus.DRAFT]


ON_REFERRAL = PersonColumns(Referral.person_region_id, Referral.person_site_id,
                            Referral.person_sex, Referral.person_category,
                            Referral.person_birth_year)


def _filtered(filters, dim):
    """The referrals sent in the period with their person's bucket, read from the referral's
    copy of the person's dimensions (no join) through one covering index; materialised once
    and aggregated three ways (SQLite and PostgreSQL both honour MATERIALIZED)."""
    eps = 0.000001  # julianday arithmetic may give 1.9999999 for two whole days
    to_accept = floor_int(days_between(Referral.sent_at, Referral.accepted_at) * 10 + eps)
    to_complete = floor_int(days_between(Referral.sent_at, Referral.finished_at) * 10 + eps)
    completed = Referral.status == ReferralStatus.COMPLETED
    # ids as the driver gives them: converting 10,000 rows' UUIDs is slower than the SQL
    as_given = sa.String if db.engine.dialect.name == "sqlite" else None
    stmt = (sa.select(Referral.status.label("status"),
                      _raw(Referral.service_id, as_given).label("service_id"),
                      _raw(Referral.organisation_id, as_given).label("organisation_id"),
                      dim.on(ON_REFERRAL).label("col"),
                      sa.case((Referral.accepted_at.is_not(None), 1), else_=0).label("accepted"),
                      sa.case((completed, 1), else_=0).label("completed"),
                      to_accept.label("to_accept"),
                      sa.case((completed, to_complete)).label("to_complete"))
            .where(Referral.sent_at.is_not(None), *filters.person_conditions(ON_REFERRAL),
                   *filters.in_period(Referral.sent_at)))
    return stmt.cte("sent_referral").prefix_with("MATERIALIZED")


def _raw(column, type_):
    return sa.type_coerce(column, type_) if type_ is not None else column


class _Ids(dict):
    """Raw id (hex text on SQLite, UUID on PostgreSQL) -> UUID, converted once per id."""

    def __missing__(self, raw):
        self[raw] = value = raw if isinstance(raw, uuid.UUID) else uuid.UUID(raw)
        return value


def referral_aggregates(filters, dim):
    """(counts, accept histogram, completion histogram) from one statement:
    counts are (status, service_id, organisation_id, column, n, accepted, completed) rows;
    histograms are {column: {tenths of a day: n}}."""
    r = _filtered(filters, dim)
    none = sa.null()
    counts = sa.select(sa.literal("n").label("kind"), r.c.status, r.c.service_id,
                       r.c.organisation_id, r.c.col, none.label("tenths"), sa.func.count(),
                       sa.func.sum(r.c.accepted), sa.func.sum(r.c.completed)) \
        .group_by(r.c.status, r.c.service_id, r.c.organisation_id, r.c.col)
    hists = [sa.select(sa.literal(kind), none, none, none, r.c.col, column, sa.func.count(),
                       none, none).where(column.is_not(None)).group_by(r.c.col, column)
             for kind, column in (("a", r.c.to_accept), ("c", r.c.to_complete))]
    rows, hist, ids = [], {"a": {}, "c": {}}, _Ids()
    for row in db.session.execute(sa.union_all(counts, *hists)):
        if row[0] == "n":
            rows.append((row[1], ids[row[2]], ids[row[3]], row[4]) + tuple(row[6:]))
        else:
            bucket = hist[row[0]].setdefault(plain(row[4]), {})
            bucket[row[5]] = bucket.get(row[5], 0) + row[6]
    return rows, hist["a"], hist["c"]


def referral_tables(filters, dim):
    """All referral tables from the one aggregate statement."""
    counts, to_accept, to_complete = referral_aggregates(filters, dim)
    return [
        by_status(counts, dim),
        _by_lookup("referral_categories", str(_l("Referrals by service category")),
                   str(_l("Service category")), counts, dim, _categories(counts), 1,
                   "#sector"),
        _by_lookup("referral_providers", str(_l("Referrals by provider")),
                   str(_l("Provider")), counts, dim, _providers(counts), 2, "#org+name"),
        rates(dim, counts, to_accept, to_complete),
    ]


def _rollup(counts, index):
    """(key, column, n) summed over the other keys: the thousands of (status, service,
    provider, column) rows become the dozens a table needs before any table is built."""
    sums = {}
    for c in counts:
        sums[c[index], c[3]] = sums.get((c[index], c[3]), 0) + c[4]
    return [(key, col, n) for (key, col), n in sums.items()]


def by_status(counts, dim):
    pairs = _rollup(counts, 0)
    rows = [Bucket(s.value, str(s.label), "") for s in SENT_STATUSES]
    return crosstab("referral_status", str(_l("Referrals by status")), str(_l("Status")), pairs,
                    rows, dim.buckets, row_hxl="#status+referral",
                    measure_hxl="#output+referrals",
                    note=str(_l("Referrals sent in the period, by their status today.")))


def _by_lookup(key, title, row_label, counts, dim, lookup, index, row_hxl):
    """Counts rolled up from service or organisation id to a label (category, provider)."""
    buckets, seen = [], set()
    for label, code in sorted(set(lookup.values()), key=lambda v: str(v[0]).lower()):
        if code not in seen:
            seen.add(code)
            buckets.append(Bucket(code, label, ""))
    pairs = [(lookup.get(key, ("", None))[1], col, n) for key, col, n in _rollup(counts, index)]
    return crosstab(key, title, row_label, pairs, buckets, dim.buckets, row_hxl=row_hxl,
                    measure_hxl="#output+referrals", chart="hbar" if len(buckets) <= 25 else "")


def _categories(counts):
    """service_id -> (category label, category code) for the services that appear."""
    ids = {c[1] for c in counts}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Service.id, TaxonomyTerm.code, TaxonomyTerm.name_fr,
                                        TaxonomyTerm.name_en)
                              .join(TaxonomyTerm, TaxonomyTerm.id == Service.category_id)
                              .where(Service.id.in_(ids))).all()
    return {r.id: (_localised(r.name_fr, r.name_en), r.code) for r in rows}


def _providers(counts):
    ids = {c[2] for c in counts}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Organisation.id, Organisation.name)
                              .where(Organisation.id.in_(ids))).all()
    return {r.id: (r.name, str(r.id)) for r in rows}


def _localised(fr, en):
    from flask_babel import get_locale
    return en if str(get_locale() or "fr").startswith("en") else fr


# --- rates and medians ----------------------------------------------------------------------------
def rates(dim, counts, to_accept, to_complete):
    """Acceptance rate (accepted ÷ sent), completion rate (completed ÷ accepted) and the median
    days from sending to acceptance and to completion, per column and overall."""
    sent, accepted, completed = {}, {}, {}
    for c in counts:
        col = plain(c[3])
        sent[col] = sent.get(col, 0) + c[4]
        accepted[col] = accepted.get(col, 0) + int(c[5] or 0)
        completed[col] = completed.get(col, 0) + int(c[6] or 0)
    keys = [b.key for b in dim.buckets]
    table = Table("referral_rates", str(_l("Referral performance")), str(_l("Indicator")),
                  list(dim.buckets), row_hxl="#indicator", measure_hxl="#value", kind="value",
                  chart="")
    table.rows = [
        _ratio_row("acceptance", _l("Acceptance rate (accepted ÷ sent)"), accepted, sent, keys),
        _ratio_row("completion", _l("Completion rate (completed ÷ accepted)"), completed,
                   accepted, keys),
        _median_row("days_to_accept", _l("Median days from sending to acceptance"), to_accept,
                    keys),
        _median_row("days_to_complete", _l("Median days from sending to completion"),
                    to_complete, keys),
    ]
    return table


def _ratio(num, den):
    return (round(100.0 * num / den, 1) if den else None, den)


def _ratio_row(key, label, num, den, keys):
    cells = [_ratio(num.get(k, 0), den.get(k, 0)) for k in keys]
    total = _ratio(sum(num.values()), sum(den.values()))
    return Row(key, str(label), cells, total, hxl=key)


def _median_row(key, label, histograms, keys):
    cells = [_median(histograms.get(k, {})) for k in keys]
    merged = {}
    for hist in histograms.values():
        for tenth, n in hist.items():
            merged[tenth] = merged.get(tenth, 0) + n
    return Row(key, str(label), cells, _median(merged), hxl=key)


def _median(hist):
    """(median in days, n) of a histogram of tenths of a day; (None, 0) when empty."""
    n = sum(hist.values())
    if not n:
        return (None, 0)
    ordered = sorted(hist.items())
    return (round((_nth(ordered, (n - 1) // 2) + _nth(ordered, n // 2)) / 20.0, 1), n)


def _nth(ordered, index):
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return max(value or 0, 0)
    return ordered[-1][0]


# --- overdue worklist -----------------------------------------------------------------------------
def overdue_referrals(filters, now=None):
    """SELECT of overdue referrals (to accept or to complete), as plain columns, oldest first."""
    # Only used to order: SQLite compares the ISO strings, PostgreSQL widens date to timestamp.
    deadline = sa.case((Referral.status == ReferralStatus.SENT, Referral.accept_by),
                       else_=Referral.complete_by)
    return (sa.select(Referral.id, Person.id.label("person_id"), Person.case_number,
                      Site.code.label("site"), Referral.status, Service.name.label("service"),
                      Organisation.name.label("provider"), Referral.accept_by,
                      Referral.complete_by)
            .select_from(Referral)
            .join(Person, Person.id == Referral.person_id)
            .join(Site, Site.id == Person.site_id)
            .join(Service, Service.id == Referral.service_id)
            .join(Organisation, Organisation.id == Referral.organisation_id)
            .where(overdue_clause(now), Person.erased_at.is_(None),
                   *filters.person_conditions())
            .order_by(deadline, Person.case_number))


def overdue_referral_counts(filters, dim, now=None):
    """("referrals", column, n) triples for the overdue summary (no join beyond person)."""
    stmt = (sa.select(sa.literal("referrals"), dim.expr, sa.func.count()).select_from(Referral)
            .join(Person, Person.id == Referral.person_id)
            .where(overdue_clause(now), Person.erased_at.is_(None), *filters.person_conditions())
            .group_by(dim.expr))
    return db.session.execute(stmt).all()

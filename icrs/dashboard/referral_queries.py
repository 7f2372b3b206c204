"""Referral indicators: counts by status, service category and provider, acceptance and
completion rates, median days to acceptance and to completion, and the overdue worklist.

One statement: the referrals sent in the period, with the copy of their person's dimensions
they carry (no join to person), are read once (a materialised CTE) and grouped three ways:
counts and rates by status, service and provider; and histograms of the days to acceptance and
to completion in tenths of a day, from which the medians are read. No referral
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
IN_LIST_LIMIT = 200


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
    by_key, totals = _rollups(counts)
    return [
        by_status(by_key[0], dim),
        _by_lookup("referral_categories", str(_l("Referrals by service category")),
                   str(_l("Service category")), by_key[1], dim, _categories(by_key[1]),
                   "#sector"),
        _by_lookup("referral_providers", str(_l("Referrals by provider")),
                   str(_l("Provider")), by_key[2], dim, _providers(by_key[2]), "#org+name"),
        rates(dim, totals, to_accept, to_complete),
    ]


def _rollups(counts):
    """One pass over the thousands of (status, service, provider, column) rows: the counts by
    (status, column), (service, column) and (provider, column) as (key, column, n) triples,
    and {column: [sent, accepted, completed]} for the rates."""
    by_status, by_service, by_provider, totals = {}, {}, {}, {}
    for status, service, provider, col, n, accepted, completed in counts:
        by_status[status, col] = by_status.get((status, col), 0) + n
        by_service[service, col] = by_service.get((service, col), 0) + n
        by_provider[provider, col] = by_provider.get((provider, col), 0) + n
        total = totals.setdefault(plain(col), [0, 0, 0])
        total[0] += n
        total[1] += int(accepted or 0)
        total[2] += int(completed or 0)
    triples = [[(key, col, n) for (key, col), n in sums.items()]
               for sums in (by_status, by_service, by_provider)]
    return triples, totals


def by_status(pairs, dim):
    rows = [Bucket(s.value, str(s.label), "") for s in SENT_STATUSES]
    return crosstab("referral_status", str(_l("Referrals by status")), str(_l("Status")), pairs,
                    rows, dim.buckets, row_hxl="#status+referral",
                    measure_hxl="#output+referrals",
                    note=str(_l("Referrals sent in the period, by their status today.")))


def _by_lookup(key, title, row_label, pairs, dim, lookup, row_hxl):
    """Counts rolled up from service or organisation id to a label (category, provider)."""
    buckets, seen = [], set()
    for label, code in sorted(set(lookup.values()), key=lambda v: str(v[0]).lower()):
        if code not in seen:
            seen.add(code)
            buckets.append(Bucket(code, label, ""))
    pairs = [(lookup.get(key, ("", None))[1], col, n) for key, col, n in pairs]
    return crosstab(key, title, row_label, pairs, buckets, dim.buckets, row_hxl=row_hxl,
                    measure_hxl="#output+referrals", chart="hbar" if len(buckets) <= 25 else "")


def _among(column, ids):
    """WHERE column IN ids, or no condition when the ids are many: reading a whole small
    table is cheaper than binding a thousand parameters."""
    return [column.in_(ids)] if len(ids) <= IN_LIST_LIMIT else []


def _categories(pairs):
    """service_id -> (category label, category code) for the services that appear."""
    ids = {p[0] for p in pairs}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Service.id, TaxonomyTerm.code, TaxonomyTerm.name_fr,
                                        TaxonomyTerm.name_en)
                              .join(TaxonomyTerm, TaxonomyTerm.id == Service.category_id)
                              .where(*_among(Service.id, ids))).all()
    return {r.id: (_localised(r.name_fr, r.name_en), r.code) for r in rows if r.id in ids}


def _providers(pairs):
    ids = {p[0] for p in pairs}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Organisation.id, Organisation.name)
                              .where(*_among(Organisation.id, ids))).all()
    return {r.id: (r.name, str(r.id)) for r in rows if r.id in ids}


def _localised(fr, en):
    from flask_babel import get_locale
    return en if str(get_locale() or "fr").startswith("en") else fr


# --- rates and medians ----------------------------------------------------------------------------
def rates(dim, totals, to_accept, to_complete):
    """Acceptance rate (accepted ÷ sent), completion rate (completed ÷ accepted) and the median
    days from sending to acceptance and to completion, per column and overall.
    totals: {column: [sent, accepted, completed]}."""
    sent, accepted, completed = ({col: t[i] for col, t in totals.items()} for i in range(3))
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

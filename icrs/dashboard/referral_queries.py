"""Referral indicators: counts by status, service category and provider, acceptance and
completion rates, median days to acceptance and to completion, and the overdue worklist.

Two statements over the referrals sent in the period, read with the copy of their person's
dimensions they carry (no join to person): the counts by (service, provider, column, status),
rolled up into the status, category, provider and rate tables; and histograms of the days to
acceptance and to completion in tenths of a day, from which the medians are read. No referral
row is ever loaded into Python."""
import uuid

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from icrs.core.models import Site
from icrs.dashboard.dims import Bucket
from icrs.dashboard.filters import PersonColumns
from icrs.dashboard.sqlfuncs import days_between, floor_int, unindexed
from icrs.dashboard.tables import Row, Table, crosstab
from icrs.directory.models import Organisation, Service, TaxonomyTerm
from icrs.extensions import db
from icrs.people.models import Person
from icrs.people.queries import erased_ids
from icrs.referrals.deadlines import overdue_clause
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus

SENT_STATUSES = [s for s in ReferralStatus if s != ReferralStatus.DRAFT]
IN_LIST_LIMIT = 200


ON_REFERRAL = PersonColumns(Referral.person_region_id, Referral.person_site_id,
                            Referral.person_sex, Referral.person_category,
                            Referral.person_birth_year)


def _sent(filters):
    """The referrals sent in the period, in the filters' places: read from the referral's copy
    of its person's dimensions (no join), through one covering index."""
    return [Referral.sent_at.is_not(None), *filters.person_conditions(ON_REFERRAL),
            *filters.in_period(Referral.sent_at)]


def counts_statement(filters, dim):
    """(status, service, provider, column, n, accepted, completed) rows, the keys as plain
    text or integers (see _as_given)."""
    completed = Referral.status == ReferralStatus.COMPLETED
    # With no period, SQLite would read the referrals through the service index, which only
    # half-sorts the GROUP BY, fetching each table row (1.0 s for 300,000); the covering
    # dashboard index takes a third of that.
    # SQLite groups by sorting: the most varied key first settles most comparisons at once
    # (15 % faster than status first).
    keys = (unindexed(Referral.service_id), Referral.organisation_id, dim.on(ON_REFERRAL),
            Referral.status)
    service, provider, column, status = (_as_given(key) for key in keys)
    return (sa.select(status, service, provider, column, sa.func.count(),
                      sa.func.sum(sa.case((Referral.accepted_at.is_not(None), 1), else_=0)),
                      sa.func.sum(sa.case((completed, 1), else_=0)))
            .where(*_sent(filters)).group_by(*keys))


def histogram_statement(filters, dim):
    """("a" or "c", column, tenths of a day, n) rows: histograms of the days from sending to
    acceptance and to completion, from which the medians are read. SQLite reads the period's
    referrals once into a materialised CTE (its julianday() parsing costs more than a second
    scan); PostgreSQL scans twice, which is cheaper than writing 300,000 rows aside (350 ms
    to 130 ms for all time)."""
    eps = 0.000001  # julianday arithmetic may give 1.9999999 for two whole days
    to_accept = floor_int(days_between(Referral.sent_at, Referral.accepted_at) * 10 + eps)
    to_complete = floor_int(days_between(Referral.sent_at, Referral.finished_at) * 10 + eps)
    completed = Referral.status == ReferralStatus.COMPLETED
    r = (sa.select(_as_given(dim.on(ON_REFERRAL)).label("col"), to_accept.label("to_accept"),
                   sa.case((completed, to_complete)).label("to_complete"))
         .where(*_sent(filters)).cte("sent_referral")
         .prefix_with("MATERIALIZED", dialect="sqlite")
         .prefix_with("NOT MATERIALIZED", dialect="postgresql"))
    return sa.union_all(*[sa.select(sa.literal(kind), r.c.col, column, sa.func.count())
                          .where(column.is_not(None)).group_by(column, r.c.col)
                          for kind, column in (("a", r.c.to_accept), ("c", r.c.to_complete))])


def _as_given(expr):
    """The expression's values as plain text or integers: enum members and UUID objects are
    built and hashed in Python code, and the rollups of 10,000 rows spent most of their time
    there. SQLite already stores UUIDs as text; PostgreSQL sends them as text when asked."""
    if isinstance(expr.type, sa.Uuid) and db.engine.dialect.name != "sqlite":
        return sa.cast(expr, sa.String)
    if isinstance(expr.type, (sa.Enum, sa.Uuid)):
        return sa.type_coerce(expr, sa.String)
    return expr


def read_histograms(rows):
    """{"a": {column: {tenths: n}}, "c": ...} from the histogram rows."""
    hist = {"a": {}, "c": {}}
    for kind, col, tenths, n in rows:
        bucket = hist[kind].setdefault(col, {})
        bucket[tenths] = bucket.get(tenths, 0) + n
    return hist


def build_tables(counts, histogram_rows, dim):
    """Every referral table from the rows of counts_statement and histogram_statement."""
    hist = read_histograms(histogram_rows)
    to_accept, to_complete = hist["a"], hist["c"]
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
        total = totals.setdefault(col, [0, 0, 0])
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
    """service id (as text) -> (category label, category code) for the services that appear."""
    ids = {p[0] for p in pairs}
    if not ids:
        return {}
    service_id = _as_given(Service.id)
    english = str(get_locale() or "fr").startswith("en")
    rows = db.session.execute(sa.select(service_id, TaxonomyTerm.code, TaxonomyTerm.name_fr,
                                        TaxonomyTerm.name_en)
                              .join(TaxonomyTerm, TaxonomyTerm.id == Service.category_id)
                              .where(*_among(service_id, ids))).all()
    return {r[0]: (r.name_en if english else r.name_fr, r.code) for r in rows if r[0] in ids}


def _providers(pairs):
    """organisation id (as text) -> (name, id as text) for the providers that appear."""
    ids = {p[0] for p in pairs}
    if not ids:
        return {}
    organisation_id = _as_given(Organisation.id)
    rows = db.session.execute(sa.select(organisation_id, Organisation.name)
                              .where(*_among(organisation_id, ids))).all()
    return {r[0]: (r.name, str(uuid.UUID(str(r[0])))) for r in rows if r[0] in ids}


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
def _overdue(filters, now=None):
    """WHERE of the overdue referrals (to accept or to complete) in the filters' places, read
    from the referral's copy of its person's dimensions; erased people left out."""
    return [overdue_clause(now), Referral.person_id.not_in(erased_ids()),
            *filters.person_conditions(ON_REFERRAL)]


class OverdueReferrals:
    """The overdue referral worklist, oldest deadline first. The page is chosen on the referral
    alone, then only its rows are joined to person, site, service and provider: joining all
    the overdue referrals first and sorting them took twice as long."""

    def __init__(self, filters, now=None):
        self.where = _overdue(filters, now)

    def count(self):
        return db.session.scalar(sa.select(sa.func.count()).select_from(Referral)
                                 .where(*self.where))

    def rows(self, limit, offset=0):
        # Only used to order: SQLite compares the ISO strings, PostgreSQL widens date.
        deadline = sa.case((Referral.status == ReferralStatus.SENT, Referral.accept_by),
                           else_=Referral.complete_by)
        page = (sa.select(Referral.id, Referral.person_id, Referral.status, Referral.service_id,
                          Referral.organisation_id, Referral.accept_by, Referral.complete_by,
                          deadline.label("deadline"))
                .where(*self.where).order_by(deadline, Referral.id)
                .limit(limit).offset(offset).subquery("page"))
        stmt = (sa.select(page.c.id, Person.id.label("person_id"), Person.case_number,
                          Site.code.label("site"), page.c.status, Service.name.label("service"),
                          Organisation.name.label("provider"), page.c.accept_by,
                          page.c.complete_by, TaxonomyTerm.code.label("category"))
                .select_from(page)
                .join(Person, Person.id == page.c.person_id)
                .join(Site, Site.id == Person.site_id)
                .join(Service, Service.id == page.c.service_id)
                .outerjoin(TaxonomyTerm, TaxonomyTerm.id == Service.category_id)
                .join(Organisation, Organisation.id == page.c.organisation_id)
                .order_by(page.c.deadline, page.c.id))
        return db.session.execute(stmt).all()


def overdue_referral_counts(filters, dim, now=None):
    """SELECT of ("referrals", column, n) triples for the overdue summary (no join)."""
    # By site, SQLite would walk the whole site index for its order and read each overdue
    # referral's row to test the region (60 ms); unordered, it searches the region's (11 ms).
    column = unindexed(dim.on(ON_REFERRAL))
    return (sa.select(sa.literal("referrals"), column, sa.func.count())
            .where(*_overdue(filters, now)).group_by(column))

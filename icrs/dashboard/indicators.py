"""Assemble the dashboard: every indicator table for one filter set, in page order."""
import importlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.dashboard import overlap, queries, worklists
from icrs.dashboard.dims import Bucket, dimension
from icrs.dashboard.tables import crosstab
from icrs.extensions import db


@dataclass
class Dashboard:
    filters: object
    dimension: object
    tables: list = field(default_factory=list)
    referrals_ready: bool = True
    pending: object = None  # gives the tables still being read on the spare connection

    def table(self, key):
        return next((t for t in self.tables if t.key == key), None)

    def finish(self):
        """Wait for the tables read on the spare connection; every table in page order."""
        if self.pending is not None:
            referral_tables, others = self.pending()
            self.tables[2:2] = referral_tables + others
            self.pending = None
        return self


def referral_module():
    """The referral queries, or None while the referrals domain is not installed."""
    try:
        return importlib.import_module("icrs.dashboard.referral_queries")
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("icrs.referrals"):
            return None
        raise


def start(filters, user):
    """The dashboard with its quick tables read and the rest pending: the caseload, the overdue
    counts and the referral histograms run on the spare connection meanwhile
    (icrs.dashboard.overlap), the referral counts on the request's own. finish() waits."""
    dim = dimension(filters.by, filters, user)
    board = Dashboard(filters, dim)
    referrals = referral_module()
    board.referrals_ready = referrals is not None
    aside = [queries.caseload_statement(filters, dim),
             worklists.overdue_follow_up_counts(filters, dim)]
    if referrals is not None:
        aside += [referrals.overdue_referral_counts(filters, dim),
                  referrals.histogram_statement(filters, dim)]
    pending = overlap.start(*aside)
    board.tables = [queries.stage_funnel(filters, dim),
                    queries.registrations_by_month(filters, dim),
                    queries.exits_by_reason(filters, dim),
                    queries.consent_withdrawals(filters, dim)]
    counts = (db.session.execute(referrals.counts_statement(filters, dim)).all()
              if referrals is not None else [])

    def rest():
        caseload, follow_ups, *more = pending()
        caseload = queries.caseload_by_caseworker(caseload, dim)
        if referrals is None:
            return [], [overdue_summary(dim, follow_ups, [], referrals_ready=False), caseload]
        overdue_referrals, histogram = more
        return (referrals.build_tables(counts, histogram, dim),
                [overdue_summary(dim, follow_ups, overdue_referrals), caseload])
    board.pending = rest
    return board


def build(filters, user):
    """Every table, in page order."""
    return start(filters, user).finish()


def overdue_summary(dim, follow_ups, referrals, referrals_ready=True):
    """Counts behind the two worklists, disaggregated like the rest, from the (kind, column,
    n) rows of their count statements."""
    rows = [Bucket("follow_ups", str(_l("Overdue follow-ups")), "")]
    if referrals_ready:
        rows.insert(0, Bucket("referrals", str(_l("Overdue referrals")), ""))
    return crosstab("overdue", str(_l("Overdue today")), str(_l("Worklist")),
                    [*follow_ups, *referrals], rows, dim.buckets, total_row=False,
                    row_hxl="#indicator+overdue", measure_hxl="#output+overdue", chart="")

"""Assemble the dashboard: every indicator table for one filter set, in page order."""
import importlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.dashboard import overlap, queries, worklists
from icrs.dashboard.dims import Bucket, dimension
from icrs.dashboard.tables import crosstab


@dataclass
class Dashboard:
    filters: object
    dimension: object
    tables: list = field(default_factory=list)
    referrals_ready: bool = True
    pending: object = None  # gives the tables once their statements are read

    def table(self, key):
        return next((t for t in self.tables if t.key == key), None)

    def finish(self):
        """Read what is still waiting, on this connection too; every table in page order."""
        if self.pending is not None:
            self.tables, self.pending = self.pending(), None
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
    """The dashboard with its statements started on the spare connection (longest first, see
    icrs.dashboard.overlap); finish() reads the rest on the request's connection and builds
    the tables. Between the two, the request's connection is free for the worklists."""
    dim = dimension(filters.by, filters, user)
    board = Dashboard(filters, dim)
    referrals = referral_module()
    board.referrals_ready = referrals is not None
    people = {"stages": queries.stage_funnel(filters, dim),
              "registrations": queries.registrations_by_month(filters, dim),
              "exits": queries.exits_by_reason(filters, dim),
              "withdrawals": queries.consent_withdrawals(filters, dim)}
    statements = _longest_first(filters, dim, referrals, people)
    reading = overlap.start(*statements.values())

    def tables():
        rows = dict(zip(statements, reading(), strict=True))
        built = {key: indicator.table(rows[key]) for key, indicator in people.items()}
        referral_tables = (referrals.build_tables(rows["counts"], rows["histogram"], dim)
                           if referrals is not None else [])
        overdue = overdue_summary(dim, rows["follow_ups"], rows.get("overdue_referrals", []),
                                  referrals_ready=referrals is not None)
        return [built["stages"], built["registrations"], *referral_tables, overdue,
                queries.caseload_by_caseworker(rows["caseload"], dim), built["exits"],
                built["withdrawals"]]
    board.pending = tables
    return board


def _longest_first(filters, dim, referrals, people):
    """Every statement of the dashboard by name, the longest first (as measured on 100,000
    people and 300,000 referrals: the referral ones grow with the period)."""
    statements = {}
    if referrals is not None:
        statements.update(counts=referrals.counts_statement(filters, dim),
                          histogram=referrals.histogram_statement(filters, dim))
    statements.update(registrations=people["registrations"].statement,
                      stages=people["stages"].statement,
                      caseload=queries.caseload_statement(filters, dim),
                      follow_ups=worklists.overdue_follow_up_counts(filters, dim))
    if referrals is not None:
        statements["overdue_referrals"] = referrals.overdue_referral_counts(filters, dim)
    statements.update(exits=people["exits"].statement,
                      withdrawals=people["withdrawals"].statement)
    return statements


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

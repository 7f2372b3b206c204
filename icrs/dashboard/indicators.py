"""Assemble the dashboard: every indicator table for one filter set, in page order."""
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.dashboard import overlap, queries, referral_queries, worklists
from icrs.dashboard.dims import Bucket, dimension
from icrs.dashboard.tables import crosstab


@dataclass
class Dashboard:
    filters: object
    dimension: object
    tables: list = field(default_factory=list)
    pending: object = None  # gives the tables once their statements are read

    def table(self, key):
        return next((t for t in self.tables if t.key == key), None)

    def finish(self):
        """Read what is still waiting, on this connection too; every table in page order."""
        if self.pending is not None:
            self.tables, self.pending = self.pending(), None
        return self


@dataclass(frozen=True)
class Entry:
    """One block of the page: the tables it gives (keys, in page order), the statements it
    reads (by name, see STATEMENTS) and what builds its tables from their rows."""
    keys: tuple
    needs: tuple
    build: Callable  # (rows by statement name, dim) -> [Table]


def _people(name):
    return lambda filters, dim: PEOPLE[name](filters, dim).statement


PEOPLE = {"stages": queries.stage_funnel, "registrations": queries.registrations_by_month,
          "exits": queries.exits_by_reason, "withdrawals": queries.consent_withdrawals}

# Every statement by name, the longest first (as measured on 100,000 people and 300,000
# referrals: the referral ones grow with the period); icrs.dashboard.overlap starts them so.
STATEMENTS = {
    "counts": referral_queries.counts_statement,
    "histogram": referral_queries.histogram_statement,
    "registrations": _people("registrations"),
    "stages": _people("stages"),
    "caseload": queries.caseload_statement,
    "follow_ups": worklists.overdue_follow_up_counts,
    "overdue_referrals": referral_queries.overdue_referral_counts,
    "exits": _people("exits"),
    "withdrawals": _people("withdrawals"),
}


def _people_entry(name):
    def build(rows, dim, filters):
        return [PEOPLE[name](filters, dim).table(rows[name])]
    return Entry((name,), (name,), build)


# The page, in order: the same registry drives the page, the statements read and the exports.
REGISTRY = [
    _people_entry("stages"),
    _people_entry("registrations"),
    Entry(("referral_status", "referral_categories", "referral_providers", "referral_rates"),
          ("counts", "histogram"),
          lambda rows, dim, filters: referral_queries.build_tables(
              rows["counts"], rows["histogram"], dim)),
    Entry(("overdue",), ("follow_ups", "overdue_referrals"),
          lambda rows, dim, filters: [overdue_summary(dim, rows["follow_ups"],
                                                      rows["overdue_referrals"])]),
    Entry(("caseload",), ("caseload",),
          lambda rows, dim, filters: [queries.caseload_by_caseworker(rows["caseload"], dim)]),
    _people_entry("exits"),
    _people_entry("withdrawals"),
]


def entries(only=None) -> list:
    """The registry's entries, or the one giving table `only` (none if no entry gives it)."""
    return [e for e in REGISTRY if only is None or only in e.keys]


def start(filters, user, only=None):
    """The dashboard (or only the entry giving table `only`) with its statements started on the
    spare connection (longest first, see icrs.dashboard.overlap); finish() reads the rest on
    the request's connection and builds the tables. Between the two, the request's
    connection is free for the worklists."""
    dim = dimension(filters.by, filters, user)
    board = Dashboard(filters, dim)
    chosen = entries(only)
    needed = {name for entry in chosen for name in entry.needs}
    names = [name for name in STATEMENTS if name in needed]
    reading = overlap.start(*(STATEMENTS[name](filters, dim) for name in names))

    def tables():
        rows = dict(zip(names, reading(), strict=True))
        return [table for entry in chosen for table in entry.build(rows, dim, filters)]
    board.pending = tables
    return board


def build(filters, user, only=None):
    """Every table (or only table `only`), in page order."""
    return start(filters, user, only).finish()


def overdue_summary(dim, follow_ups, referrals):
    """Counts behind the two worklists, disaggregated like the rest, from the (kind, column,
    n) rows of their count statements."""
    rows = [Bucket("referrals", str(_l("Overdue referrals")), ""),
            Bucket("follow_ups", str(_l("Overdue follow-ups")), "")]
    return crosstab("overdue", str(_l("Overdue today")), str(_l("Worklist")),
                    [*follow_ups, *referrals], rows, dim.buckets, total_row=False,
                    row_hxl="#indicator+overdue", measure_hxl="#output+overdue", chart="")

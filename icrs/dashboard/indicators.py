"""Assemble the dashboard: every indicator table for one filter set, in page order."""
import importlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.dashboard import queries, worklists
from icrs.dashboard.dims import Bucket, dimension
from icrs.dashboard.tables import crosstab
from icrs.extensions import db


@dataclass
class Dashboard:
    filters: object
    dimension: object
    tables: list = field(default_factory=list)
    referrals_ready: bool = True

    def table(self, key):
        return next((t for t in self.tables if t.key == key), None)


def referral_module():
    """The referral queries, or None while the referrals domain is not installed."""
    try:
        return importlib.import_module("icrs.dashboard.referral_queries")
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("icrs.referrals"):
            return None
        raise


def build(filters, user):
    dim = dimension(filters.by, filters, user)
    board = Dashboard(filters, dim)
    board.tables = [queries.stage_funnel(filters, dim),
                    queries.registrations_by_month(filters, dim)]
    referral_queries = referral_module()
    if referral_queries is None:
        board.referrals_ready = False
    else:
        board.tables += referral_queries.referral_tables(filters, dim)
    board.tables += [overdue_summary(filters, dim, referral_queries),
                     queries.caseload_by_caseworker(filters, dim),
                     queries.exits_by_reason(filters, dim),
                     queries.consent_withdrawals(filters, dim)]
    return board


def overdue_summary(filters, dim, referral_queries=None):
    """Counts behind the two worklists, disaggregated like the rest."""
    pairs = db.session.execute(worklists.overdue_follow_up_counts(filters, dim)).all()
    rows = [Bucket("follow_ups", str(_l("Overdue follow-ups")), "")]
    if referral_queries is not None:
        pairs += referral_queries.overdue_referral_counts(filters, dim)
        rows.insert(0, Bucket("referrals", str(_l("Overdue referrals")), ""))
    return crosstab("overdue", str(_l("Overdue today")), str(_l("Worklist")), pairs, rows,
                    dim.buckets, total_row=False, row_hxl="#indicator+overdue",
                    measure_hxl="#output+overdue", chart="")

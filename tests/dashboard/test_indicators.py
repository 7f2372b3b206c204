"""Every indicator against the hand-built world of conftest.py, whose answers are known.

National view, 2024, by sex unless said otherwise. People registered in 2024: p1–p6, p8, p9
(p7 registered in 2023). Referrals sent in 2024: r1–r5 (r6 is a draft, r7 was sent in 2023)."""
import datetime as dt

import pytest

from icrs.core.vocab import DEFAULT_AGE_BANDS
from icrs.dashboard import indicators
from icrs.dashboard.filters import Filters

YEAR = {"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2024, 12, 31)}


@pytest.fixture
def board(app, world, make):
    supervisor = make.user("supervisor")

    def _board(user=None, **kw):
        kw = {**YEAR, "age_bands": tuple(DEFAULT_AGE_BANDS), **kw}
        with app.test_request_context():
            built = indicators.build(Filters(**kw), user or supervisor)
            return {t.key: {r.key: (r.cells, r.total) for r in t.rows} for t in built.tables}

    return _board


def test_stage_funnel_by_sex(board):
    stages = board()["stages"]  # columns: female, male
    assert stages["registered"] == ([2, 0], 2)
    assert stages["profiled"] == ([0, 1], 1)
    assert stages["planned"] == ([0, 1], 1)
    assert stages["referred"] == ([0, 1], 1)
    assert stages["in_service"] == ([1, 0], 1)
    assert stages["follow_up"] == ([0, 0], 0)
    assert stages["reintegrated"] == ([0, 0], 0)  # p7 registered in 2023
    assert stages["suspended"] == ([0, 1], 1)
    assert stages["exited"] == ([1, 0], 1)
    assert stages["total"] == ([4, 4], 8)


def test_without_period_everyone_counts(board):
    stages = board(date_from=None, date_to=None)["stages"]
    assert stages["reintegrated"] == ([0, 1], 1)
    assert stages["total"] == ([4, 5], 9)


def test_age_bands_are_computed_at_the_period_end(board):
    stages = board(by="age")["stages"]
    # 0–14: p4 (12); 15–17: p2 (16); 18–24: p6 (23); 25–35: p1 (34), p8 (25);
    # 36+: p3 (44), p9 (39); unknown: p5
    assert stages["total"] == ([1, 1, 1, 2, 2, 1], 8)
    assert stages["exited"] == ([1, 0, 0, 0, 0, 0], 1)
    # a year later p6 is 24, p8 26, p2 17: same bands; in 2026 p2 turns 18
    later = board(date_from=None, date_to=dt.date(2026, 6, 30), by="age")["stages"]
    assert later["profiled"] == ([0, 0, 1, 0, 0, 0], 1)


def test_age_bands_follow_the_configuration(board):
    stages = board(by="age", age_bands=((0, 17), (18, None)))["stages"]
    assert stages["total"] == ([2, 5, 1], 8)


@pytest.mark.parametrize("by,total", [
    ("category", [3, 2, 1, 1, 1]),  # adult man, adult woman, caafag, disability, dependant
    ("region", [6, 2, 0]),  # EN, NW, SW (no data)
    ("site", [2, 0, 5, 1]),  # BAM, BUE, MER, MOR (ordered by code)
])
def test_other_disaggregations(board, by, total):
    assert board(by=by)["stages"]["total"] == (total, 8)


def test_registrations_by_month_include_quiet_months(board):
    months = board()["registrations"]
    assert len(months) == 13  # 12 months + total
    assert months["2024-01"] == ([2, 1], 3)
    assert months["2024-02"] == ([0, 2], 2)
    assert months["2024-03"] == ([2, 0], 2)
    assert months["2024-04"] == ([0, 0], 0)
    assert months["2024-05"] == ([0, 1], 1)
    assert months["total"] == ([4, 4], 8)


def test_empty_period(board):
    tables = board(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 3, 31))
    assert tables["stages"]["total"] == ([0, 0], 0)
    assert set(tables["registrations"]) == {"2020-01", "2020-02", "2020-03", "total"}
    assert tables["registrations"]["total"] == ([0, 0], 0)
    assert tables["exits"]["total"] == ([0, 0], 0)
    assert all(total == 0 for _, total in tables["withdrawals"].values())


def test_region_without_data(board, world):
    tables = board(region_id=world.sw.id)
    for key in ("stages", "registrations", "exits", "caseload", "withdrawals", "overdue"):
        assert all(not total for _, total in tables[key].values()), key


def test_filters_by_site_category_and_sex(board, world):
    assert board(site_id=world.sites["MOR"].id)["stages"]["total"] == ([0, 1], 1)
    assert board(category="adult_woman")["stages"]["total"] == ([2, 0], 2)
    assert board(sex="male")["stages"]["total"] == ([0, 4], 4)
    assert board(region_id=world.nw.id)["stages"]["total"] == ([1, 1], 2)


def test_caseload_exits_and_withdrawals(board, world):
    tables = board()
    caseload = tables["caseload"]
    workers = world.workers
    assert caseload[workers["mer"].id] == ([1, 2], 3)  # p1, p2, p3 (p4 exited)
    assert caseload[workers["mor"].id] == ([0, 1], 1)  # p6 (p7 reintegrated)
    assert caseload[workers["bam"].id] == ([1, 1], 2)
    assert caseload[None] == ([1, 0], 1)  # p5 unassigned
    assert tables["exits"]["dropped_out"] == ([1, 0], 1)
    assert tables["exits"]["total"] == ([1, 0], 1)
    withdrawals = tables["withdrawals"]
    assert withdrawals["registration"] == ([1, 0], 1)
    assert withdrawals["sharing"] == ([1, 0], 1)
    assert withdrawals["reporting"] == ([0, 0], 0)  # withdrawn in 2023


def test_overdue_counts(board, world):
    overdue = board()["overdue"]
    assert overdue["follow_ups"] == ([0, 2], 2)  # p3, p9; p6 due later, p8 done
    if world.referrals_ready:
        assert overdue["referrals"] == ([1, 1], 2)  # r4 to accept, r5 to complete


def test_referrals_by_status_category_and_provider(board, world):
    if not world.referrals_ready:
        pytest.skip("referrals module not installed")
    tables = board()
    status = tables["referral_status"]
    assert "draft" not in status
    assert status["completed"] == ([0, 1], 1)
    assert status["in_service"] == ([1, 0], 1)
    assert status["declined"] == ([0, 1], 1)
    assert status["sent"] == ([0, 1], 1)
    assert status["accepted"] == ([1, 0], 1)
    assert status["total"] == ([2, 3], 5)
    categories = tables["referral_categories"]
    assert categories["vocational_training"] == ([0, 3], 3)
    assert categories["health"] == ([1, 0], 1)
    assert categories["gbv"] == ([1, 0], 1)
    providers = tables["referral_providers"]
    assert providers[str(world.org_a.id)] == ([1, 3], 4)
    assert providers[str(world.org_b.id)] == ([1, 0], 1)


def test_many_services_are_looked_up_without_an_in_list(board, world, make, monkeypatch):
    """Past IN_LIST_LIMIT ids the lookups read the whole table: a provider or category with no
    referral must still not appear."""
    if not world.referrals_ready:
        pytest.skip("referrals module not installed")
    from icrs.dashboard import referral_queries
    unused = make.organisation("Unused provider")
    monkeypatch.setattr(referral_queries, "IN_LIST_LIMIT", 0)
    tables = board()
    assert tables["referral_categories"]["vocational_training"] == ([0, 3], 3)
    assert set(tables["referral_categories"]) == {"vocational_training", "health", "gbv",
                                                  "total"}
    providers = tables["referral_providers"]
    assert providers[str(world.org_a.id)] == ([1, 3], 4)
    assert str(unused.id) not in providers and len(providers) == 3


def test_referral_rates_and_medians(board, world):
    if not world.referrals_ready:
        pytest.skip("referrals module not installed")
    rates = board()["referral_rates"]
    # accepted: r1 (M, 2.0 d), r2 (F, 1.0 d), r5 (F, 4.0 d) of 5 sent; completed: r1 (31.0 d)
    assert rates["acceptance"] == ([(100.0, 2), (33.3, 3)], (60.0, 5))
    assert rates["completion"] == ([(0.0, 2), (100.0, 1)], (33.3, 3))
    assert rates["days_to_accept"] == ([(2.5, 2), (2.0, 1)], (2.0, 3))
    assert rates["days_to_complete"] == ([(None, 0), (31.0, 1)], (31.0, 1))


def test_referral_indicators_in_an_empty_period(board, world):
    if not world.referrals_ready:
        pytest.skip("referrals module not installed")
    tables = board(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31))
    assert tables["referral_status"]["total"] == ([0, 0], 0)
    assert tables["referral_rates"]["acceptance"] == ([(None, 0), (None, 0)], (None, 0))
    assert tables["referral_rates"]["days_to_accept"][1] == (None, 0)

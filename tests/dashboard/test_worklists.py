"""The overdue worklists behind the dashboard: who is listed, in which order, for whom."""
import datetime as dt

import pytest

from icrs.extensions import db
from tests.dashboard.conftest import PERIOD


@pytest.fixture
def referrals_ready(world):
    if not world.referrals_ready:
        pytest.skip("referrals not installed")
    return world


def test_overdue_referrals_oldest_deadline_first(client, referrals_ready, national):
    body = client.get("/dashboard/overdue/referrals", query_string=PERIOD).get_data(as_text=True)
    # r4 (p6) was to be accepted by 15 April 2024, r5 (p8) completed by 1 May 2024
    assert body.index("EN-MOR-2024-p6") < body.index("NW-BAM-2024-p8")
    assert "EN-MER-2024-p5" not in body  # in service, due in 300 days
    assert "B protection" in body and "Org B" in body


def test_overdue_referrals_stay_in_the_supervisors_region(client, referrals_ready, regional):
    body = client.get("/dashboard/overdue/referrals", query_string=PERIOD).get_data(as_text=True)
    assert "EN-MOR-2024-p6" in body and "NW-BAM" not in body
    assert client.get("/dashboard/overdue/referrals",
                      query_string={**PERIOD, "region": referrals_ready.nw.id}).status_code == 403


def test_overdue_referrals_follow_the_filters(client, referrals_ready, national):
    females = client.get("/dashboard/overdue/referrals",
                         query_string={**PERIOD, "sex": "female"}).get_data(as_text=True)
    assert "NW-BAM-2024-p8" in females and "EN-MOR-2024-p6" not in females
    site = client.get("/dashboard/overdue/referrals", query_string={
        **PERIOD, "site": referrals_ready.sites["MOR"].id}).get_data(as_text=True)
    assert "EN-MOR-2024-p6" in site and "NW-BAM" not in site


def test_erased_people_leave_the_overdue_referrals(client, referrals_ready, national):
    referrals_ready.people["p6"].erased_at = dt.datetime(2024, 8, 1)
    db.session.commit()
    body = client.get("/dashboard/overdue/referrals", query_string=PERIOD).get_data(as_text=True)
    assert "EN-MOR-2024-p6" not in body and "NW-BAM-2024-p8" in body
    counts = client.get("/dashboard/export/overdue.csv", query_string=PERIOD)
    assert "Overdue referrals,<5,0,<5" in counts.get_data(as_text=True)  # p8 only


def test_overdue_referrals_are_paged(app, client, referrals_ready, national, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_PAGE_SIZE", 1)
    first = client.get("/dashboard/overdue/referrals", query_string=PERIOD).get_data(as_text=True)
    second = client.get("/dashboard/overdue/referrals",
                        query_string={**PERIOD, "page": 2}).get_data(as_text=True)
    assert "EN-MOR-2024-p6" in first and "NW-BAM-2024-p8" not in first
    assert "NW-BAM-2024-p8" in second and "EN-MOR-2024-p6" not in second


@pytest.mark.parametrize("role", ["caseworker", "provider"])
def test_other_roles_cannot_see_the_overdue_referrals(client, referrals_ready, login_as, role):
    login_as(role)
    assert client.get("/dashboard/overdue/referrals", query_string=PERIOD).status_code == 403

"""The indicator registry drives the page order, the statements read and the exports: a CSV of
one table reads only that table's statements."""
import pytest

from icrs.dashboard import indicators, overlap
from tests.dashboard.test_views import PERIOD


@pytest.fixture
def started(monkeypatch):
    """The statements each dashboard request starts, one list per request."""
    calls = []
    real = overlap.start

    def counting(*statements):
        calls.append(len(statements))
        return real(*statements)

    monkeypatch.setattr(overlap, "start", counting)
    return calls


def test_registry_gives_every_table_once_in_page_order():
    keys = [key for entry in indicators.REGISTRY for key in entry.keys]
    assert keys == ["stages", "registrations", "referral_status", "referral_categories",
                    "referral_providers", "referral_rates", "overdue", "caseload", "exits",
                    "withdrawals"]
    needed = {name for entry in indicators.REGISTRY for name in entry.needs}
    assert needed == set(indicators.STATEMENTS)


def test_the_page_reads_every_statement(client, world, national, started):
    assert client.get("/dashboard/", query_string=PERIOD).status_code == 200
    assert started == [len(indicators.STATEMENTS)]


@pytest.mark.parametrize(("key", "statements"), [("stages", 1), ("referral_rates", 2),
                                                 ("overdue", 2), ("withdrawals", 1)])
def test_a_single_table_csv_reads_only_its_statements(client, world, national, started, key,
                                                      statements):
    response = client.get(f"/dashboard/export/{key}.csv", query_string=PERIOD)
    assert response.status_code == 200
    assert started == [statements]


def test_an_unknown_table_reads_nothing(client, world, national, started):
    assert client.get("/dashboard/export/nothing.csv").status_code == 404
    assert started == []


def test_the_workbook_has_every_table_in_page_order(app, world, national, started, client):
    assert client.get("/dashboard/export.xlsx", query_string=PERIOD).status_code == 200
    assert started == [len(indicators.STATEMENTS)]

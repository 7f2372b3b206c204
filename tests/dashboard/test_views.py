"""Dashboard pages per role and scope: who may see what, filters, exports, the shared report,
and that no personal value is ever decrypted for the aggregates."""
import datetime as dt
import io
import re
import zipfile

import pytest

from icrs.crypto import envelope
from icrs.dashboard import views
from tests.dashboard.conftest import PERIOD

CASE_LINK = re.compile(r'href="/people/[0-9a-f]{8}-')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)")  # only files from /static/ (CSP)
PAGES = ["/dashboard/", "/dashboard/report", "/dashboard/export/stages.csv",
         "/dashboard/export.xlsx", "/dashboard/overdue/follow_ups", "/dashboard/export/personal"]


@pytest.mark.parametrize("role", ["caseworker", "provider"])
def test_other_roles_are_refused(client, login_as, world, role):
    login_as(role)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post("/dashboard/export/personal").status_code == 403


@pytest.fixture
def no_decryption(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the dashboard decrypted a personal field")

    monkeypatch.setattr(envelope, "decrypt_field", refuse)


@pytest.mark.parametrize("url", PAGES[:-1] + ["/dashboard/export/referral_rates.csv",
                                              "/dashboard/overdue/referrals"])
def test_nothing_is_decrypted(client, world, national, no_decryption, url):
    response = client.get(url, query_string={**PERIOD, "hxl": "1"})
    assert response.status_code in (200, 404), url  # 404: referrals not installed yet


def test_dashboard_page_shows_charts_tables_and_worklists(client, world, national):
    body = client.get("/dashboard/", query_string=PERIOD).get_data(as_text=True)
    assert body.count('role="img"') >= 5
    assert "People by stage" in body and "Registrations by month" in body
    assert "EN-MER-2024-p3" in body and "NW-BAM-2024-p9" in body  # overdue follow-ups
    assert CASE_LINK.search(body)  # case links for supervisors
    assert not INLINE_SCRIPT.search(body) and " style=" not in body


def test_admin_sees_case_numbers_without_links(client, world, login_as):
    login_as("admin", locale="en")
    body = client.get("/dashboard/", query_string=PERIOD).get_data(as_text=True)
    assert "EN-MER-2024-p3" in body and not CASE_LINK.search(body)


def test_invalid_period_is_a_400(client, world, national):
    response = client.get("/dashboard/", query_string={"date_from": "2024-05-01",
                                                        "date_to": "2024-01-01"})
    assert response.status_code == 400
    assert "before its start" in response.get_data(as_text=True)
    assert client.get("/dashboard/export/stages.csv",
                      query_string={"date_from": "nonsense"}).status_code == 400


def test_unknown_table_or_worklist_is_a_404(client, world, national):
    assert client.get("/dashboard/export/nothing.csv").status_code == 404
    assert client.get("/dashboard/overdue/other").status_code == 404


# --- region scope ---------------------------------------------------------------------------------
def test_regional_supervisor_sees_only_their_region(client, world, regional):
    body = client.get("/dashboard/", query_string=PERIOD).get_data(as_text=True)
    assert "EN-MER-2024-p3" in body
    assert "NW-BAM" not in body and "Org B" not in body
    csv = client.get("/dashboard/export/stages.csv", query_string=PERIOD).get_data(as_text=True)
    assert csv.splitlines()[-1] == "Total,<5,<5,x"  # 3 + 3: the 6 would give them away
    assert re.search(r"<td[^>]*><strong>6</strong></td>", body)  # the team's own: p1–p6 only
    listing = client.get("/dashboard/overdue/follow_ups").get_data(as_text=True)
    assert "EN-MER-2024-p3" in listing and "NW-BAM" not in listing


@pytest.mark.parametrize("url", PAGES[:-1])
def test_regional_supervisor_cannot_ask_for_another_region(client, world, regional, url):
    assert client.get(url, query_string={"region": world.nw.id}).status_code == 403
    assert client.get(url, query_string={"site": world.sites["BAM"].id}).status_code == 403
    assert client.get(url, query_string={"region": world.en.id}).status_code in (200,)


def test_regional_choices_list_only_their_places(client, world, regional):
    body = client.get("/dashboard/").get_data(as_text=True)
    assert "Far North" in body and "North-West" not in body and "Site BAM" not in body


def test_national_supervisor_region_without_data(client, world, national):
    csv = client.get("/dashboard/export/stages.csv",
                     query_string={**PERIOD, "region": world.sw.id}).get_data(as_text=True)
    assert csv.splitlines()[-1].endswith(",0,0,0")


# --- exports --------------------------------------------------------------------------------------
def test_csv_export_is_suppressed_and_tagged(client, world, national):
    response = client.get("/dashboard/export/stages.csv", query_string={**PERIOD, "hxl": "1"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Stage,Female,Male,Total"
    assert lines[1] == "#status+stage,#reached+f,#reached+m,#reached+total"
    # the four men are 1, 1, 1, 1 under a "<5" total: each would be known to be 1, so no
    # figure of this table can be shared (tests/dashboard/test_disclosure.py)
    assert lines[2] == "Registered,,,"
    assert lines[-1] == "Total,,,"
    plain = client.get("/dashboard/export/stages.csv", query_string=PERIOD)
    assert "#reached" not in plain.get_data(as_text=True)


def test_csv_export_by_region_uses_pcodes(client, world, national):
    text = client.get("/dashboard/export/stages.csv",
                      query_string={**PERIOD, "hxl": "1", "by": "region"}).get_data(as_text=True)
    assert "#reached+cm004,#reached+cm008,#reached+cm011" in text


def test_xlsx_export(client, world, national):
    response = client.get("/dashboard/export.xlsx", query_string={**PERIOD, "hxl": "1"})
    assert response.status_code == 200
    book = zipfile.ZipFile(io.BytesIO(response.data))
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) >= 8
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "&lt;5" in strings and "#reached+f" in strings and "Registered" in strings
    assert "People by stage" in book.read("xl/workbook.xml").decode()


def test_shared_report_suppresses_and_has_no_worklists(client, world, national):
    body = client.get("/dashboard/report", query_string=PERIOD).get_data(as_text=True)
    assert "&lt;5" in body
    assert "EN-MER-2024-p3" not in body and not CASE_LINK.search(body)
    assert re.search(r"<td[^>]*><strong>x</strong></td>", body)  # 4 + 4 = 8: both given away
    assert "cannot be worked out from the totals" in body


# --- personal export ------------------------------------------------------------------------------
REASON = {"reason_category": "data_subject_request",
          "reason": "Request from the person for a copy of their record (ticket 42)",
          "fields": ["site", "first_name"]}


def test_personal_export_is_for_admins_only(client, world, national):
    assert client.get("/dashboard/export/personal").status_code == 403
    assert client.post("/dashboard/export/personal", data=REASON).status_code == 403


@pytest.mark.parametrize("change", [{"reason": ""}, {"reason": "too short"},
                                    {"reason_category": ""}, {"fields": []}])
def test_personal_export_needs_a_reason_and_fields(client, world, login_as, change):
    login_as("admin", locale="en")
    response = client.post("/dashboard/export/personal", data={**REASON, **change})
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"


# --- the period a dashboard opens on --------------------------------------------------------------
def test_default_period_is_the_last_twelve_months():
    from icrs.dashboard.filters import default_period
    assert default_period(dt.date(2026, 12, 2)) == {"date_from": dt.date(2026, 1, 1),
                                                    "date_to": dt.date(2026, 12, 2)}
    assert default_period(dt.date(2025, 3, 31)) == {"date_from": dt.date(2024, 4, 1),
                                                    "date_to": dt.date(2025, 3, 31)}


def test_dashboard_opens_on_the_last_twelve_months(client, world, national, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: dt.date(2024, 6, 30))
    body = client.get("/dashboard/").get_data(as_text=True)
    assert 'value="2023-07-01"' in body and 'value="2024-06-30"' in body
    csv = client.get("/dashboard/export/stages.csv").get_data(as_text=True)
    assert "Total,<5,x,9" in csv  # everyone: p7 (registered 2023-12-20) and p9 (2024-05-05)
    since = client.get("/dashboard/export/stages.csv",
                       query_string={"date_from": "2024-01-01"}).get_data(as_text=True)
    assert "Total,,," in since  # a start alone: open-ended, no default end (withheld: 4 men)


def test_emptying_both_dates_shows_all_time(client, world, national, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: dt.date(2024, 3, 31))
    recent = client.get("/dashboard/export/stages.csv").get_data(as_text=True)
    everything = client.get("/dashboard/export/stages.csv",
                            query_string={"date_from": "", "date_to": ""}).get_data(as_text=True)
    assert "Total,,," in recent  # 2023-04-01 … 2024-03-31: all but p9, 4 men: withheld
    assert "Total,<5,x,9" in everything
    page = client.get("/dashboard/", query_string={"date_from": ""}).get_data(as_text=True)
    links = re.findall(r'href="(/dashboard/(?:report|export)[^"]*)"', page)
    assert links and all(re.search(r"[?;]date_from=(&|$)", link) for link in links), links


def test_the_filters_say_how_to_see_all_time(client, world, login_as):
    login_as("supervisor", locale="fr")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "douze derniers mois" in page and "videz les deux dates" in page


def test_the_personal_list_does_not_default_to_twelve_months(client, world, login_as):
    login_as("admin", locale="en")
    assert "empty both dates" in client.get("/dashboard/").get_data(as_text=True)
    page = client.get("/dashboard/export/personal").get_data(as_text=True)
    assert "Period" in page and "twelve months" not in page

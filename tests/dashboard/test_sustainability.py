"""The sustainability page: the score rebuilt in SQL agrees with the Python formula, known
figures on hand-made follow-ups (latest visit in the period, change from the baseline, the
pathway of the plan in force), suppression for the reader without case-level access (a group
of 3 hidden and not recoverable, its mean hidden with a partner) and scope refusals."""
import datetime as dt
import itertools
import random
import uuid

import pytest
import sqlalchemy as sa

from icrs.dashboard import sustainability_queries as queries
from icrs.dashboard.filters import Filters
from icrs.dashboard.suppression import HIDDEN, MASK, suppress_table
from icrs.extensions import db as _db
from icrs.people import follow_ups, sustainability
from icrs.people.models import WHO5_COLUMNS, FollowUp, SustainabilityBaseline
from icrs.people.outcomes import VisitType
from icrs.plans.models import PlanStatus, PlanVersion
from tests.dashboard.attack import recovered
from tests.dashboard.cells import has_cell
from tests.dashboard.conftest import add_person

D = dt.date
PERIOD = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
GOOD = {"activity": "own_business", "income_band": "gt100k", "business_running": "yes",
        "housing": "stable", "family_acceptance": 4, "community_acceptance": 4,
        "safety": "none", "who5": 5}  # every item 1: overall 1.0
LOW = {"activity": "none", "income_band": "none", "business_running": "no", "housing": "none",
       "family_acceptance": 1, "community_acceptance": 1, "safety": "serious", "who5": 0}
MID = {"activity": "other", "income_band": "25k_50k", "business_running": "na",
       "housing": "temporary", "family_acceptance": 3, "community_acceptance": 2,
       "safety": "some", "who5": None}  # economic 0.5, social 0.5, no WHO-5: overall 0.5
BASE_ZERO = {**LOW, "business_running": None, "who5": None}  # overall 0
BASE_HALF = {**MID, "business_running": None}  # overall 0.5


def _coded(codes):
    out = {}
    for name, value in codes.items():
        if name == "who5":
            out.update(dict.fromkeys(WHO5_COLUMNS, value))
        elif name in follow_ups.ENUM_ITEMS and value is not None:
            out[name] = follow_ups.ENUM_ITEMS[name](value)
        else:
            out[name] = value
    return out


def visit(person, day, codes, by):
    _db.session.add(FollowUp(person_id=person.id, due_date=day, created_by_id=by.id,
                             done_at=dt.datetime.combine(day, dt.time(10)), visit_date=day,
                             visit_type=VisitType.HOME, **_coded(codes)))


def baseline(person, codes):
    items = _coded(codes)
    who5 = items.pop("who5_cheerful", None)
    for name in WHO5_COLUMNS[1:]:
        items.pop(name, None)
    _db.session.add(SustainabilityBaseline(person_id=person.id, profile_version_id=uuid.uuid4(),
                                           who5_raw=None if who5 is None else who5 * 5, **items))


def plan(person, by, pathway):
    _db.session.add(PlanVersion(person_id=person.id, number=1, status=PlanStatus.AGREED,
                                pathway=pathway, created_by_id=by.id, agreed_on=D(2024, 1, 1),
                                agreed_at=dt.datetime(2024, 1, 1)))


@pytest.fixture
def scored(db, make):
    """Extrême-Nord: five women scored 1.0 at their latest visit (baseline 0: +100), a sixth
    at 0.5 without a baseline, three men at 0 (baseline 0.5: −50); North-West: one woman.
    Visits outside the period and earlier visits do not count."""
    en, nw = make.region("EN"), make.region("NW")
    mer, bam = make.site("MER", en), make.site("BAM", nw)
    worker = make.user("caseworker", site=mer)
    reg = dt.datetime(2023, 6, 1)
    women = [add_person(f"f{i}", reg, mer, "female", 1990, "adult_woman", "follow_up")
             for i in range(6)]
    men = [add_person(f"m{i}", reg, mer, "male", 1985, "adult_man", "follow_up")
           for i in range(3)]
    far = add_person("n0", reg, bam, "female", 1990, "adult_woman", "follow_up")
    for person in women[:5]:
        visit(person, D(2024, 2, 1), LOW, worker)  # earlier: the latest counts
        visit(person, D(2024, 6, 1), GOOD, worker)
        baseline(person, BASE_ZERO)
        plan(person, worker, "small_business")
    visit(women[0], D(2025, 2, 1), LOW, worker)  # after the period
    visit(women[5], D(2024, 6, 1), MID, worker)
    for person in men:
        visit(person, D(2024, 7, 1), LOW, worker)
        baseline(person, BASE_HALF)
    visit(far, D(2024, 7, 1), GOOD, worker)
    baseline(far, BASE_ZERO)
    _db.session.add(FollowUp(person_id=far.id, due_date=D(2024, 8, 1), created_by_id=worker.id))
    _db.session.commit()
    return {"en": en, "nw": nw, "women": women, "men": men, "far": far}


def _filters(**kw):
    return Filters(date_from=D(2024, 1, 1), date_to=D(2024, 12, 31), **kw)


def _cells(table):
    return [(r.cells, r.total) for r in table.rows]


def test_the_sql_score_is_the_formula(db, make):
    """Random coded visits (missing answers and "not applicable" included): each dimension,
    the overall score and its band come out of SQL as icrs.people.sustainability computes
    them."""
    worker = make.user("caseworker", site="MER")
    site, rng = make.site("MER"), random.Random(22)
    options = {name: [None, *values] for name, values in sustainability.ITEM_VALUES.items()}
    options["who5"] = [None, 0, 1, 2, 3, 4, 5]
    people = []
    for i in range(60):
        person = add_person(f"r{i}", dt.datetime(2023, 1, 1), site, "male", 1990, "adult_man",
                            "follow_up")
        codes = {name: rng.choice(values) for name, values in options.items()}
        visit(person, D(2024, 3, 1), codes, worker)
        people.append(person)
    _db.session.commit()
    rows = {r.person_id: r for r in _db.session.execute(
        sa.select(queries.scored_people(_filters()))).all()}
    for person in people:
        fu = _db.session.scalar(sa.select(FollowUp).where(FollowUp.person_id == person.id))
        expected = sustainability.score(fu)
        row = rows[person.id]
        for name in (*sustainability.DIMENSIONS, "overall"):
            assert getattr(row, name) == pytest.approx(getattr(expected, name)), name
        if expected.overall is not None:
            band = _db.session.scalar(sa.select(queries._band(sa.literal(row.overall))))
            assert band == sustainability.band_of(expected.overall)


def test_bands_edges_agree_in_python_and_sql(db):
    for value, band in ((0.0, 0), (0.25 - 1e-12, 1), (0.2499, 0), (0.5, 2), (0.74, 2),
                        (0.75, 3), (1.0, 3)):
        assert sustainability.band_of(value) == band
        assert _db.session.scalar(sa.select(queries._band(sa.literal(value)))) == band


def test_known_figures_by_sex(scored, make):
    admin = make.user("admin")
    dim = queries.dimension_for(_filters(by="sex"), admin)
    bands = queries.distribution(_filters(), dim)
    assert _cells(bands) == [([0, 3], 3), ([0, 0], 0), ([1, 0], 1), ([6, 0], 6),
                             ([7, 3], 10)]
    change = queries.change(_filters(), dim)
    overall = change.rows[0]
    assert overall.key == "overall"
    assert overall.cells == [(pytest.approx(100.0), 6), (pytest.approx(-50.0), 3)]
    assert overall.total == (pytest.approx((600 - 150) / 9), 9)
    by_key = {r.key: r for r in change.rows}
    assert by_key["economic"].cells[1] == (pytest.approx(-50.0), 3)
    assert by_key["psychosocial"].cells == [(None, 0), (None, 0)]  # no WHO-5 baseline


def test_region_filter_and_pathway(scored, make):
    admin = make.user("admin")
    en = _filters(region_id=scored["en"].id, by="pathway")
    dim = queries.dimension_for(en, admin)
    assert [b.key for b in dim.buckets][-1] == queries.NO_PLAN
    bands = queries.distribution(en, dim)
    keys = [b.key for b in dim.buckets]
    total = bands.rows[-1]
    assert total.cells[keys.index("small_business")] == 5
    assert total.cells[keys.index(queries.NO_PLAN)] == 4  # the sixth woman and the men
    assert total.total == 9
    change = queries.change(en, dim)
    assert change.rows[0].cells[keys.index("small_business")] == (pytest.approx(100.0), 5)


def test_the_detail_reader_sees_the_figures(client, login_as, scored):
    login_as("admin", locale="en")
    page = client.get("/dashboard/sustainability", query_string=PERIOD).get_data(as_text=True)
    assert "People by sustainability score" in page and "Change from the baseline" in page
    assert has_cell(page, "+100.0") and has_cell(page, "\u221250.0")
    assert has_cell(page, "<strong>+50.0</strong>")  # (600 − 150) / 9


def _published(table):
    return [list(r.cells) + [r.total] for r in table.rows]


def test_the_reader_without_detail_sees_a_group_of_three_hidden(client, login_as, scored,
                                                                 make):
    reader = make.user("monitoring")
    dim = queries.dimension_for(_filters(by="sex"), reader)
    bands = suppress_table(queries.distribution(_filters(), dim))
    shown = _published(bands)
    assert shown[0][1] == MASK and 3 not in itertools.chain(*shown)
    assert recovered(shown, has_total_row=True) == {}
    change = suppress_table(queries.change(_filters(), dim))
    # the men's mean on 3 is hidden, and the women's with it: the pooled mean stays
    assert change.rows[0].cells == [(None, HIDDEN), (None, MASK)]
    assert change.rows[0].total[1] == 9

    login_as(reader)
    page = client.get("/dashboard/sustainability", query_string=PERIOD).get_data(as_text=True)
    assert has_cell(page, "&lt;5") and "50.0" not in page.replace("+50.0", "")
    assert "100.0" not in page and has_cell(page, "x")


def test_scope_a_supervisor_sees_their_region_only(client, login_as, scored):
    login_as("supervisor", region=scored["nw"], locale="en")
    page = client.get("/dashboard/sustainability", query_string=PERIOD)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # a supervisor sees the figures of the cases they supervise: one woman in North-West
    assert has_cell(text, "<strong>+100.0</strong>") and "\u221250.0" not in text
    assert has_cell(text, "<strong>1</strong>") and not has_cell(text, "<strong>10</strong>")
    other = client.get("/dashboard/sustainability",
                       query_string={**PERIOD, "region": scored["en"].id})
    assert other.status_code == 403


@pytest.mark.parametrize("role", ["caseworker", "provider"])
def test_caseworkers_and_providers_are_refused(client, login_as, scored, role):
    login_as(role)
    assert client.get("/dashboard/sustainability").status_code == 403


def test_bad_filters_answer_400_and_the_index_links_the_page(client, login_as, scored):
    login_as("admin", locale="en")
    assert client.get("/dashboard/sustainability",
                      query_string={"by": "stage"}).status_code == 400
    assert client.get("/dashboard/sustainability",
                      query_string={**PERIOD, "by": "pathway"}).status_code == 200
    assert "/dashboard/sustainability" in client.get("/dashboard/").get_data(as_text=True)

"""Eligibility: the query returns exactly the services `is_eligible` accepts, on a hand-built
directory with known answers."""
import itertools

import pytest
import sqlalchemy as sa

from icrs.directory.eligibility import (
    SearchFilters,
    eligible_services_query,
    is_eligible,
    search_services,
)
from icrs.directory.models import Service


def _names(stmt, db):
    return {s.name for s in db.session.scalars(stmt)}


@pytest.mark.parametrize("age, sex, category, region, expected", [
    (30, "male", "adult_man", None, {"Adults EN"}),
    (30, "female", "adult_woman", None, {"Adults EN", "Women Bamenda"}),
    (30, "female", "adult_woman", "en", {"Adults EN"}),
    (30, "female", "adult_woman", "nw", {"Women Bamenda"}),
    (12, "male", "caafag", "nw", {"Children nationwide"}),
    (17, "female", "dependant", None, {"Women Bamenda", "Children nationwide"}),
    (14, "female", "dependant", None, {"Children nationwide"}),
    (40, "male", "person_with_disability", "nw", {"Disability NW"}),
    (41, "male", "person_with_disability", None, set()),
    (25, "female", "person_with_disability", None, set()),
    (None, None, None, None, {"Adults EN", "Women Bamenda", "Children nationwide",
                              "Disability NW"}),
])
def test_eligible_services_query_known_answers(db, directory, places, age, sex, category,
                                               region, expected):
    region_id = getattr(places, region).id if region else None
    assert _names(eligible_services_query(age, sex, category, region_id), db) == expected


def test_query_agrees_with_is_eligible_everywhere(db, directory):
    services = db.session.scalars(sa.select(Service)).all()
    grid = itertools.product([None, 5, 15, 16, 17, 18, 40, 41, 70], [None, "female", "male"],
                             [None, "adult_man", "adult_woman", "caafag",
                              "person_with_disability", "dependant"])
    for age, sex, category in grid:
        expected = {s.name for s in services if is_eligible(s, age, sex, category)[0]}
        assert _names(eligible_services_query(age, sex, category), db) == expected, \
            (age, sex, category)


def test_is_eligible_gives_reasons(db, directory):
    ok, reasons = is_eligible(directory.adults_en, 16, "male", "caafag")
    assert not ok and len(reasons) == 2
    text = " ".join(str(r) for r in reasons)
    assert "18" in text
    assert is_eligible(directory.adults_en, 18, "female", "adult_woman") == (True, [])
    assert not is_eligible(directory.inactive, 30, "male", "adult_man")[0]
    assert not is_eligible(directory.closed, 30, "male", "adult_man")[0]
    assert not is_eligible(directory.org_closed, 30, "male", "adult_man")[0]
    assert not is_eligible(directory.women_bam, 30, "male", "adult_woman")[0]


def test_search_filters(db, directory, places):
    def names(**kw):
        return _names(search_services(SearchFilters(**kw)), db)

    assert names(q="women") == {"Women Bamenda"}
    assert names(category="gbv") == {"Women Bamenda"}
    assert names(site=places.mer) == {"Adults EN", "Children nationwide"}
    assert names(region_id=places.nw.id) == {"Women Bamenda", "Children nationwide",
                                             "Disability NW"}
    assert "Women Bamenda" not in names(open_only=True)
    assert "Inactive service" in names(include_inactive=True)
    assert "Inactive service" not in names()

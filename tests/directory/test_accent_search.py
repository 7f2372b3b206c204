"""The directory search ignores accents and case, on SQLite and PostgreSQL alike."""
import pytest

from icrs.directory.eligibility import SearchFilters, search_services


@pytest.mark.parametrize("q", ["metiers", "MÉTIERS", "Métiers", "etier"])
def test_service_search_ignores_accents_and_case(db, directory, make_service, q):
    make_service(directory.org, "Formation aux Métiers du bâtiment")
    found = {s.name for s in db.session.scalars(search_services(SearchFilters(q=q)))}
    assert found == {"Formation aux Métiers du bâtiment"}


def test_accents_in_the_query_and_wildcards_are_plain_text(db, directory, make_service):
    make_service(directory.org, "Menuiserie et ébénisterie")
    assert {s.name for s in db.session.scalars(search_services(SearchFilters(q="EBENISTERIE")))
            } == {"Menuiserie et ébénisterie"}
    assert not db.session.scalars(search_services(SearchFilters(q="ébé%e"))).all()


def test_organisation_search_ignores_accents(client, login_as, directory):
    login_as("caseworker")
    page = client.get("/directory/organisations?q=meri").get_data(as_text=True)
    assert "Centre de formation de Méri" in page and "Bamenda Support Network" not in page

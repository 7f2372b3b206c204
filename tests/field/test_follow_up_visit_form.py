"""The follow-up visit page built from its XLSForm: the French and English labels come from the
.xlsx, the groups are the page's fieldsets, the coded answers go to the follow-up's columns."""
import datetime as dt

import pytest

from icrs.people import casework, services
from icrs.people.outcomes import CODED_ITEMS
from icrs.people.visit_forms import VisitForm


@pytest.fixture
def case(make, db):
    worker = make.user("caseworker", locale="fr")
    person = services.register_person(worker, worker.site, {
        "first_name": "Aïcha", "last_name": "Mahamat", "sex": "female", "birth_year": 1995,
        "birth_date": dt.date(1995, 3, 14), "category": "adult_woman", "languages": ["fr"]})
    fu = casework.schedule_follow_up(worker, person, dt.date.today(), "Visite")
    db.session.commit()
    return worker, person, fu


def test_the_page_is_in_french_from_the_xlsform(client, login_as, case):
    worker, person, fu = case
    login_as(worker)
    page = client.get(f"/people/{person.id}/follow-ups/{fu.id}/done").get_data(as_text=True)
    for text in ("<legend>La visite</legend>", "<legend>Bien-être (WHO-5)</legend>",
                 "Je me suis senti(e) calme et tranquille", ">Visite à domicile</option>",
                 "Au cours des deux dernières semaines", "Facultatif. Ce que la personne"):
        assert text in page, text
    assert "I have felt calm" not in page and "who5_calm</" not in page
    assert 'name="visit-who5_calm"' in page and '<textarea' in page


def test_the_visit_data_are_todays_coded_items(app):
    with app.test_request_context("/"):
        form = VisitForm(prefix="visit")
        assert list(form.visit_data()) == ["visit_date", *CODED_ITEMS]
        assert "note" not in form.visit_data()

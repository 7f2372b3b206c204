"""Profiling fixtures: people registered through the real service, complete answers per section,
and helpers that fill a profile through the services or post a section through the pages."""
import datetime as dt
import itertools

import pytest

from icrs.people import services as people
from icrs.profiling import services
from icrs.profiling.queries import get_draft

_n = itertools.count(1)

# A complete, coherent profile (values as the forms produce them).
COMPLETE = {
    "household": {"household_size": 6, "head_of_household": "self", "marital_status": "widowed",
                  "living_arrangement": "own_family", "children_count": 3,
                  "dependants_count": 4, "dependants_under_five": 1,
                  "household_notes": "Vit avec sa mère et trois enfants à Mora."},
    "education": {"education_level": "primary_incomplete", "years_of_schooling": 4,
                  "literacy": "basic", "reads_in": ["fr"], "numeracy": "yes"},
    "languages": {"languages_spoken": ["ff", "fr", "kr"], "main_language": "ff",
                  "service_language": "fr", "interpreter_needed": "no"},
    "skills": {"skills": ["tailoring", "trading"], "training_done": "no"},
    "work": {"activity_before": "farming", "current_activity": "trade", "has_income": "no",
             "income_sources": ["family"], "assets": ["phone"]},
    "health": {"wg_seeing": "none", "wg_hearing": "none", "wg_walking": "some",
               "wg_cognition": "none", "wg_selfcare": "none", "wg_communication": "none",
               "chronic_illness": "no", "pregnancy": "lactating"},
    "psychosocial": {"hopelessness": "sometimes", "someone_to_talk_to": "yes",
                     "community_acceptance": "partly", "wants_support": "no"},
    "association": {"group": "jas", "role": "forced_marriage", "how_joined": "abducted",
                    "year_joined": 2016, "year_left": 2021, "how_left": "escaped",
                    "association_notes": "Enlevée à Kolofata, mariée de force à un commandant."},
    "security": {"feels_safe": "somewhat", "threatened": "yes", "gbv_disclosed": "yes",
                 "gbv_support_wanted": "yes",
                 "protection_notes": "Menaces du frère du commandant au marché de Mora."},
    "aspirations": {"preferred_option": "small_business", "preferred_place": "stay",
                    "trade_of_interest": "Couture", "aspirations": "Ouvrir un atelier."},
}


def form_data(answers, row_version=0, complete=False):
    """Answers as a browser would post them."""
    data = {"row_version": str(row_version)}
    for key, value in answers.items():
        data[key] = value if isinstance(value, list) else str(value)
    data["save_complete" if complete else "save"] = "1"
    return data


@pytest.fixture
def caseworker(make):
    return make.user("caseworker", site="MER", locale="en")


@pytest.fixture
def register(make, db, caseworker):
    """register(actor=None, **identity) -> Person (committed), assigned to `actor`."""

    def _register(actor=None, **data):
        actor = actor or caseworker
        n = next(_n)
        identity = {"first_name": f"Falmata{n}", "last_name": "Boukar", "sex": "female",
                    "birth_date": dt.date(1996, 5, 2), "birth_year": 1996,
                    "category": "adult_woman", "languages": ["ff", "fr"],
                    "phone": f"+237 6 77 {n:02d} 11 22", "id_number": f"DDR-EN-{5000 + n}"}
        identity.update(data)
        person = people.register_person(actor, actor.site, identity)
        db.session.commit()
        return person

    return _register


@pytest.fixture
def person(register):
    return register()


def _version(person):
    draft = get_draft(person)
    return draft.version if draft else 0


@pytest.fixture
def fill(db):
    """fill(actor, person, sections=None, **overrides) saves sections through the service."""

    def _fill(actor, person, sections=None, **overrides):
        for code in sections or COMPLETE:
            answers = dict(COMPLETE[code], **overrides.get(code, {}))
            services.save_section(actor, person, code, answers, _version(person))
        db.session.commit()

    return _fill


@pytest.fixture
def submitted(fill, db):
    """submitted(actor, person) -> the first ProfileVersion of a complete profile."""

    def _submitted(actor, person):
        fill(actor, person)
        version = services.submit_profile(actor, person, _version(person))
        db.session.commit()
        return version

    return _submitted

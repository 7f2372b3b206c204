"""Names as they are really written: fuzzy duplicate candidates through blind keys, scored after
decryption; search by one name token, an alias or the end of a case number; the keys follow the
identity and go at erasure; registration refuses contradictory answers."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core import names
from icrs.core.timeutil import today
from icrs.crypto import blind_index
from icrs.crypto.blind import compute
from icrs.people import erasure, services
from icrs.people.models import CaseCounter, Person, PersonNameKey
from tests.people.test_views import GOOD

ABOUBAKAR = {"first_name": "Aboubakar", "last_name": "Goni", "sex": "male",
             "category": "adult_man", "birth_date": dt.date(1992, 4, 1), "birth_year": 1992,
             "phone": None, "id_number": None}
FORM = {**GOOD, "first_name": "Aboubacar", "last_name": "Goni", "birth_date": "1992-09-30",
        "phone": "", "id_number": ""}
NOTICE = "A possible duplicate is registered at another site"


def _count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("spellings", [
    "Aboubakar Aboubacar Abubakar", "Mohamadou Mamadou Mahamadou Mohammed Mahamat",
    "Oumarou Umaru Omar", "Djidda Jidda", "Hadidja Hadija", "Youssouf Yusuf",
    "Zénabou Zeinabou Zainab", "Abou Abu Abba", "Souleymane Sulaiman", "Wandala Ouandala",
])
def test_transliterations_share_a_phonetic_key(spellings):
    assert len({names.phonetic(s) for s in spellings.split()}) == 1


@pytest.mark.parametrize("left, right", [("Moussa", "Mahamat"), ("Goni", "Kolo"),
                                         ("Issa", "Youssouf"), ("Hawa", "Hadidja")])
def test_different_names_keep_different_keys(left, right):
    assert names.phonetic(left) != names.phonetic(right)


def test_a_variant_spelling_shows_the_first_case_with_reasons(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    first = register(worker, **ABOUBAKAR)
    warned = client.post("/people/new", data=FORM)
    body = warned.get_data(as_text=True)
    assert warned.status_code == 409 and first.case_number in body
    assert "similar name" in body and "same birth year" in body
    assert _count(db, Person) == 1
    confirmed = client.post("/people/new", data={**FORM, "not_duplicate_of": str(first.id)})
    assert confirmed.status_code == 302 and _count(db, Person) == 2


def test_candidates_are_ranked_and_unrelated_people_left_out(register, make, db):
    worker = make.user("caseworker")
    near = register(worker, **ABOUBAKAR)
    register(worker, **{**ABOUBAKAR, "first_name": "Moussa"})  # shares only "Goni"
    register(worker, **{**ABOUBAKAR, "birth_date": dt.date(1980, 1, 1), "birth_year": 1980})
    phone = register(worker, **{**ABOUBAKAR, "first_name": "Hawa", "last_name": "Kolo",
                                "sex": "female", "category": "adult_woman",
                                "phone": "+237 677 00 11 22"})
    found = services.find_duplicate_candidates(
        {**ABOUBAKAR, "first_name": "Abubakar", "phone": "677001122", "site_id": worker.site_id})
    assert [c.person.id for c in found] == [phone.id, near.id]
    assert found[0].score.reasons[0] == "same_phone" and found[0].score.strong
    assert "similar_name" not in found[0].score.reasons
    assert {"similar_name", "same_birth_year", "same_sex", "same_site"} <= set(
        found[1].score.reasons)


def test_out_of_scope_variant_stays_a_notice(client, login_as, register, make):
    bam = make.site("BAM", region="NW")
    other = register(make.user("caseworker", site=bam), **ABOUBAKAR)
    login_as("caseworker", locale="en")
    body = client.post("/people/new", data=FORM).get_data(as_text=True)
    assert NOTICE in body and other.case_number not in body and "similar name" not in body


def test_one_name_token_an_alias_or_the_end_of_a_case_number_finds_the_case(
        client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    db.session.add(CaseCounter(site_id=worker.site_id, year=today().year, last=70))
    db.session.commit()
    person = register(worker, **ABOUBAKAR, other_names="Le Lion, Abba Goni")
    other = register(worker, first_name="Hawa", last_name="Kolo")
    assert person.case_number.endswith("-00071")
    for q in ("Goni", "GONI", "aboubacar", "lion", "Aboubakar Goni", "goni abubakar"):
        page = client.post("/people/", data={"kind": "name", "q": q}).get_data(as_text=True)
        assert person.case_number in page and other.case_number not in page, q
    page = client.post("/people/", data={"kind": "name", "q": "Moussa"}).get_data(as_text=True)
    assert person.case_number not in page
    for q in ("00071", "71", f"{today().year}-00071", person.case_number.lower()):
        page = client.get("/people/", query_string={"kind": "case", "q": q}).get_data(
            as_text=True)
        assert person.case_number in page and other.case_number not in page, q


def test_name_search_stays_in_scope(client, login_as, register, make):
    bam = make.site("BAM", region="NW")
    far = register(make.user("caseworker", site=bam), **ABOUBAKAR)
    login_as("caseworker")
    page = client.post("/people/", data={"kind": "name", "q": "Goni"}).get_data(as_text=True)
    assert far.case_number not in page


def test_keys_are_keyed_hmacs_never_tokens(register, db, app):
    person = register(**ABOUBAKAR, other_names="Le Lion")
    rows = db.session.execute(sa.select(PersonNameKey.kind, PersonNameKey.value)
                              .where(PersonNameKey.person_id == person.id)).all()
    tokens = ["aboubakar", "goni", "le", "lion"]
    assert {r for r in rows if r.kind == "token"} == {
        ("token", blind_index("name_token", t)) for t in tokens}
    assert len([r for r in rows if r.kind == "phonetic"]) == 4
    raw = repr(db.session.execute(sa.text("SELECT * FROM person_name_key")).all()).lower()
    assert not any(t in raw for t in tokens + [names.phonetic(t) for t in tokens])
    unkeyed = {compute(b"", t) for t in tokens}  # an HMAC without the secret key
    assert not unkeyed & {r.value for r in rows}


def test_keys_follow_an_identity_edit_and_go_at_erasure(register, make, db):
    worker = make.user("caseworker")
    person = register(worker, **ABOUBAKAR)
    services.update_identity(worker, person, {**ABOUBAKAR, "last_name": "Kolo"})
    db.session.commit()
    assert not services.find_duplicate_candidates({**ABOUBAKAR, "first_name": "Moussa"})
    assert [c.person.id for c in services.find_duplicate_candidates(
        {**ABOUBAKAR, "last_name": "Kollo"})] == [person.id]
    erasure.erase_person(make.user("supervisor", region="EN"), person)
    db.session.commit()
    assert _count(db, PersonNameKey) == 0
    assert not services.find_duplicate_candidates({**ABOUBAKAR, "last_name": "Kolo"})


def test_reindex_command_rebuilds_the_keys(app, register, db):
    person = register(**ABOUBAKAR)
    db.session.execute(sa.delete(PersonNameKey))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["icrs", "people", "reindex-names"])
    assert result.exit_code == 0, result.output
    assert "1 people" in result.output
    db.session.expire_all()
    assert _count(db, PersonNameKey) == 4
    assert [c.person.id for c in services.find_duplicate_candidates(ABOUBAKAR)] == [person.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.names_reindexed")) == 1


def _adult_year(age):
    return str(today().year - age)


@pytest.mark.parametrize("change, field, message", [
    ({"sex": "female", "category": "adult_man"}, "category",
     "This category does not match the sex given."),
    ({"sex": "male", "category": "adult_woman"}, "category",
     "This category does not match the sex given."),
    ({"birth_date": "", "estimated_age": "15", "caregiver_name": "Hawa Kolo"}, "category",
     "A person under 18 cannot be in an adult category."),
    ({"category": "caafag", "birth_date": "", "estimated_age": "30"}, "category",
     "A person aged 18 or more cannot be in a child category."),
    ({"first_name": "<script>Moussa"}, "first_name", "A name cannot contain"),
    ({"other_names": "Le Lion >"}, "other_names", "A name cannot contain"),
    ({"sex": ""}, "sex", "This field is required."),
    ({"category": ""}, "category", "This field is required."),
])
def test_contradictions_and_markup_are_refused_at_the_field(client, login_as, db, change, field,
                                                             message):
    login_as("caseworker", locale="en")
    entries = _count(db, AuditEntry)
    response = client.post("/people/new", data={**GOOD, **change})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body
    # the message sits with its field (the field's error block follows the input)
    assert body.index(message) > body.index(f'id="{field}"')
    assert _count(db, Person) == 0 and _count(db, PersonNameKey) == 0
    assert _count(db, AuditEntry) == entries


def test_required_choices_start_empty(client, login_as):
    login_as("caseworker", locale="en")
    page = client.get("/people/new").get_data(as_text=True)
    for name in ("sex", "category"):
        select = page[page.index(f'id="{name}"'):]
        select = select[:select.index("</select>")]
        assert '<option value="">' in select and "selected" not in select, select[:300]


def test_a_child_registered_long_ago_can_still_be_edited(register, make, db):
    worker = make.user("caseworker")
    year = today().year - 17
    child = register(worker, category="caafag", birth_date=None, birth_year=year,
                     caregiver_name="Hawa Kolo")
    child.birth_year = year - 3  # registered three years ago: an adult now
    db.session.commit()
    services.update_identity(worker, child, {
        "first_name": child.first_name, "last_name": "Kolo", "sex": "female",
        "category": "caafag", "birth_year": year - 3, "caregiver_name": "Hawa Kolo"})
    db.session.commit()
    assert child.last_name == "Kolo"

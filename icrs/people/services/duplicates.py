"""Duplicate candidates: a blocking look-up through blind indexes (ID number, phone, the
phonetic keys of the name tokens within birth year ± 1), then every candidate scored on the
decrypted values (icrs.people.matching) and ranked, with the reasons."""
from dataclasses import dataclass

import sqlalchemy as sa

from icrs.crypto import blind_index, preload_keys
from icrs.extensions import db
from icrs.people import matching
from icrs.people.models import Person, PersonNameKey

BLOCK_LIMIT = 200  # people decrypted per check at most (the most common names first)


@dataclass
class Candidate:
    person: Person
    score: matching.Score

    @property
    def id(self):
        return self.person.id

    @property
    def reasons(self):
        return self.score.labels


def identity_of(person) -> dict:
    """The decrypted identity of a registered person, in the registration's keys."""
    data = {name: getattr(person, name) for name in (
        "first_name", "last_name", "other_names", "birth_year", "sex", "phone", "id_number",
        "caregiver_name")}
    data["site_id"] = person.site_id
    return data


def find_duplicate_candidates(identity: dict, scope=None, exclude_id=None) -> list[Candidate]:
    """Registered people who may be `identity` (a registration dict; `site_id` counts if given),
    best first. `scope` (a user's scope) keeps only the people it covers; without it, everyone
    (the registration check separates what the user may see itself)."""
    stmt = sa.select(Person).where(_blocking(identity), Person.erased_at.is_(None),
                                   Person.merged_into_id.is_(None))
    if exclude_id:
        stmt = stmt.where(Person.id != exclude_id)
    if scope is not None:
        stmt = stmt.where(scope.clause(Person))
    people = db.session.scalars(stmt.order_by(Person.registered_at.desc())
                                .limit(BLOCK_LIMIT)).all()
    preload_keys(p.id for p in people)
    found = [Candidate(p, matching.score(identity, identity_of(p))) for p in people]
    found = [c for c in found if c.score.is_candidate]
    return sorted(found, key=lambda c: (not c.score.strong, -c.score.value))


def find_duplicates(data: dict, exclude_id=None) -> list[Person]:
    """The people of `find_duplicate_candidates`, best first."""
    return [c.person for c in find_duplicate_candidates(data, exclude_id=exclude_id)]


def _blocking(identity):
    conditions = []
    for kind, column in (("id_number", Person.id_number_bidx), ("phone", Person.phone_bidx)):
        value = blind_index(kind, identity.get(kind))
        if value is not None:
            conditions.append(column == value)
    keys = [v for kind, v in matching.name_keys(identity) if kind == "phonetic"]
    if keys:
        named = Person.id.in_(sa.select(PersonNameKey.person_id).where(
            PersonNameKey.kind == "phonetic", PersonNameKey.value.in_(keys)))
        year = identity.get("birth_year")
        if year is not None:
            named = sa.and_(named, sa.or_(Person.birth_year.is_(None), Person.birth_year.between(
                year - matching.YEAR_WINDOW, year + matching.YEAR_WINDOW)))
        conditions.append(named)
    return sa.or_(*conditions) if conditions else sa.false()


def add_name_keys(person):
    """The name keys of a new person (registration, caseload import); no flush, so an import
    writes them by batch."""
    db.session.add_all(PersonNameKey(person=person, kind=kind, value=value)
                       for kind, value in matching.name_keys(identity_of(person)))


def index_names(person):
    """Rewrite the person's name keys (identity edit, reindex); flushes."""
    db.session.execute(sa.delete(PersonNameKey).where(PersonNameKey.person_id == person.id))
    add_name_keys(person)
    db.session.flush()

"""Registering a person and editing the identity record."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.models import new_uuid
from icrs.core.timeutil import today, utcnow
from icrs.core.vocab import PersonCategory, Sex
from icrs.crypto import blind_index, datakeys
from icrs.extensions import db
from icrs.people.kinds import BeneficiaryKind
from icrs.people.models import (
    CaseCounter,
    ConsentPurpose,
    DuplicateDecision,
    Person,
    StageChange,
)
from icrs.people.services.duplicates import add_name_keys, index_names
from icrs.people.states import Stage

IDENTITY_FIELDS = ("first_name", "last_name", "other_names", "birth_date", "phone", "id_number",
                   "address", "caregiver_name", "caregiver_phone")
PLAIN_FIELDS = ("sex", "birth_year", "birth_date_estimated", "category", "languages",
                "beneficiary_kind", "community_category")


# --- registration ---------------------------------------------------------------------------------
def next_case_number(site, year=None) -> str:
    """`EN-MER-2025-00042`: readable, unique per site and year (row-locked counter)."""
    return next_case_numbers(site, 1, year)[0]


def next_case_numbers(site, count: int, year=None) -> list[str]:
    """`count` consecutive case numbers, reserved with one update of the locked counter (a bulk
    import takes its numbers in blocks)."""
    year = year or today().year
    updated = db.session.execute(
        sa.update(CaseCounter).where(CaseCounter.site_id == site.id, CaseCounter.year == year)
        .values(last=CaseCounter.last + count)).rowcount
    if not updated:
        db.session.add(CaseCounter(site_id=site.id, year=year, last=count))
        db.session.flush()
    last = db.session.scalar(sa.select(CaseCounter.last).where(
        CaseCounter.site_id == site.id, CaseCounter.year == year))
    return [f"{site.region.code}-{site.code}-{year}-{n:05d}"
            for n in range(last - count + 1, last + 1)]


NAME_FIELDS = ("first_name", "last_name", "other_names", "caregiver_name")
MARKUP = frozenset("<>")
ADULT_CATEGORIES = {PersonCategory.ADULT_MAN: Sex.MALE, PersonCategory.ADULT_WOMAN: Sex.FEMALE}
CHILD_CATEGORIES = (PersonCategory.CAAFAG,)


def _index(person):
    person.id_number_bidx = blind_index("id_number", person.id_number)
    person.phone_bidx = blind_index("phone", person.phone)
    person.name_bidx = blind_index("name_year", (person.display_name, None))
    person.name_year_bidx = blind_index("name_year", (person.display_name, person.birth_year))


def check_identity(data, person=None) -> int:
    """Refuse an identity that cannot be right (DomainError at the field); the birth year.
    Editing `person`, the age against the category is checked only when either changes (a
    child registered years ago is an adult now)."""
    year = _check_birth(data)
    for name in NAME_FIELDS:
        if MARKUP & set(data.get(name) or ""):
            raise DomainError(_l("A name cannot contain the characters < and >."), name)
    category, sex = _coded(PersonCategory, data.get("category")), _coded(Sex, data.get("sex"))
    if category in ADULT_CATEGORIES and sex is not None and ADULT_CATEGORIES[category] != sex:
        raise DomainError(_l("This category does not match the sex given."), "category")
    if person is not None and person.category == category and person.birth_year == year:
        return year
    if category in ADULT_CATEGORIES and today().year - year < 18:
        raise DomainError(_l("A person under 18 cannot be in an adult category."), "category")
    if category in CHILD_CATEGORIES and today().year - year >= 18:
        raise DomainError(_l("A person aged 18 or more cannot be in a child category."),
                          "category")
    return year


def _coded(enum, value):
    try:
        return enum(getattr(value, "value", value)) if value else None
    except ValueError:
        return None


def _check_birth(data):
    birth = data.get("birth_date")
    if birth and birth > today():
        raise DomainError(_l("The birth date cannot be in the future."), "birth_date")
    year = data.get("birth_year") or (birth.year if birth else None)
    if year is None:
        raise DomainError(_l("Give a birth date or an estimated age."), "estimated_age")
    age = today().year - year
    if not 0 <= age <= 100:
        raise DomainError(_l("The age must be between 0 and 100 years."), "estimated_age")
    if age < 18 and not data.get("caregiver_name"):
        raise DomainError(_l("A minor needs a caregiver."), "caregiver_name")
    return year


def check_site_open(site):
    """A deactivated site (or one of a deactivated region) keeps its people, takes no new one."""
    if not site.offered:
        raise DomainError(_l("This site is closed: it takes no new registrations. Ask an "
                             "administrator to move your account to an open site."))


def register_person(actor, site, data: dict, not_duplicate_of=()) -> Person:
    """Create a person with encrypted identity, blind indexes and the first stage entry."""
    if actor.role != Role.CASEWORKER or actor.site_id != site.id:
        raise AccessDenied(_l("Only a caseworker of this site can register people here."))
    person = create_person(actor, site, data, caseworker=actor)
    db.session.flush()
    for candidate_id in not_duplicate_of:
        db.session.add(DuplicateDecision(person_id=person.id, candidate_id=candidate_id,
                                         decided_by_id=actor.id))
    record("people.registered", actor=actor, obj=person, site=site.code,
           not_duplicate_of=[str(c) for c in not_duplicate_of])
    db.session.flush()
    return person


def create_person(actor, site, data: dict, caseworker=None, case_number=None,
                  registered_at=None) -> Person:
    """The registration itself, for a caller that checked who may do it (register_person, the
    caseload import): the identity rules, encrypted identity, blind indexes, the first stage
    entry. Adds to the session without flushing (an import flushes by batch)."""
    check_site_open(site)
    year = check_identity(data)
    person = Person(id=new_uuid(), site=site, region_id=site.region_id, caseworker=caseworker,
                    registered_by=actor, stage=Stage.REGISTERED,
                    case_number=case_number or next_case_number(site))
    if registered_at is not None:
        person.registered_at = person.stage_changed_at = registered_at
    db.session.add(person)
    datakeys.create_for_new_owner(person.id)
    person.birth_year = year
    for name in PLAIN_FIELDS:
        if name in data and name != "birth_year":
            setattr(person, name, data[name])
    person.birth_date_estimated = data.get("birth_date") is None
    for name in IDENTITY_FIELDS:
        setattr(person, name, data.get(name) or None)
    _index(person)
    add_name_keys(person)
    db.session.add(StageChange(person_id=person.id, from_stage=None, to_stage=Stage.REGISTERED,
                               actor_id=actor.id, at=registered_at or utcnow()))
    return person


# --- community members (light registration) -------------------------------------------------------
LIGHT_CONSENTS = (ConsentPurpose.REGISTRATION, ConsentPurpose.STORAGE, ConsentPurpose.REPORTING)


def community_member_data(data: dict) -> dict:
    """The light form's answers as a person's: the kind, the community category checked against
    the vocabulary, and the case category that follows from sex and age (no association
    history: never the child-associated category)."""
    if not lookups.is_valid("community_category", data.get("community_category")):
        raise DomainError(_l("Choose the person's community category."), "community_category")
    year = _check_birth(data)
    sex = _coded(Sex, data.get("sex"))
    if today().year - year < 18:
        category = PersonCategory.DEPENDANT
    else:
        category = PersonCategory.ADULT_WOMAN if sex == Sex.FEMALE else PersonCategory.ADULT_MAN
    return {**data, "category": category, "birth_year": year,
            "beneficiary_kind": BeneficiaryKind.COMMUNITY_MEMBER}


def register_community_member(actor, site, data: dict, consent_method, witness_name=None,
                              not_duplicate_of=()) -> Person:
    """Register a community member and, for an adult, the consents to registration, storage and
    anonymised reporting given at registration (one transaction; a child's consents are the
    caregiver's and the child's, recorded on the case page)."""
    from icrs.people.services.consent import record_consent  # consent builds on registration
    person = register_person(actor, site, community_member_data(data), not_duplicate_of)
    if not person.is_minor:
        for purpose in LIGHT_CONSENTS:
            record_consent(actor, person, purpose, consent_method, witness_name=witness_name)
    return person


def update_identity(actor, person, data: dict):
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can edit this case."))
    year = check_identity(data, person)
    changed = [n for n in IDENTITY_FIELDS if (data.get(n) or None) != getattr(person, n)]
    for name in IDENTITY_FIELDS:
        setattr(person, name, data.get(name) or None)
    person.birth_year = year
    for name in ("sex", "category", "languages"):
        if name in data and data[name] != getattr(person, name):
            changed.append(name)
            setattr(person, name, data[name])
    _index(person)
    index_names(person)
    record("people.identity_updated", actor=actor, obj=person, fields=sorted(changed))
    db.session.flush()

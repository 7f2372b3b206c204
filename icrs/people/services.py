"""People operations: register, duplicates, consent, stages, reassignment. Flush, never commit."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import today, utcnow
from icrs.crypto import blind_index, matches
from icrs.extensions import db
from icrs.people.models import (
    CaseCounter,
    Consent,
    ConsentPurpose,
    DuplicateDecision,
    Person,
    StageChange,
)
from icrs.people.states import Stage

IDENTITY_FIELDS = ("first_name", "last_name", "other_names", "birth_date", "phone", "id_number",
                   "address", "caregiver_name", "caregiver_phone")
PLAIN_FIELDS = ("sex", "birth_year", "birth_date_estimated", "category", "languages")
CONSENT_TEXT_VERSION = "2025-1"


# --- registration ---------------------------------------------------------------------------------
def next_case_number(site, year=None) -> str:
    """`EN-MER-2025-00042`: readable, unique per site and year (row-locked counter)."""
    year = year or today().year
    updated = db.session.execute(
        sa.update(CaseCounter).where(CaseCounter.site_id == site.id, CaseCounter.year == year)
        .values(last=CaseCounter.last + 1)).rowcount
    if not updated:
        db.session.add(CaseCounter(site_id=site.id, year=year, last=1))
        db.session.flush()
    last = db.session.scalar(sa.select(CaseCounter.last).where(
        CaseCounter.site_id == site.id, CaseCounter.year == year))
    return f"{site.region.code}-{site.code}-{year}-{last:05d}"


def _index(person):
    person.id_number_bidx = blind_index("id_number", person.id_number)
    person.phone_bidx = blind_index("phone", person.phone)
    person.name_bidx = blind_index("name_year", (person.display_name, None))
    person.name_year_bidx = blind_index("name_year", (person.display_name, person.birth_year))


def _check_identity(data):
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


def register_person(actor, site, data: dict, not_duplicate_of=()) -> Person:
    """Create a person with encrypted identity, blind indexes and the first stage entry."""
    if actor.role != Role.CASEWORKER or actor.site_id != site.id:
        raise AccessDenied(_l("Only a caseworker of this site can register people here."))
    year = _check_identity(data)
    person = Person(site=site, region_id=site.region_id, caseworker=actor, registered_by=actor,
                    stage=Stage.REGISTERED, case_number=next_case_number(site))
    db.session.add(person)
    person.birth_year = year
    for name in PLAIN_FIELDS:
        if name in data and name != "birth_year":
            setattr(person, name, data[name])
    person.birth_date_estimated = data.get("birth_date") is None
    for name in IDENTITY_FIELDS:
        setattr(person, name, data.get(name) or None)
    _index(person)
    db.session.flush()
    db.session.add(StageChange(person_id=person.id, from_stage=None, to_stage=Stage.REGISTERED,
                               actor_id=actor.id))
    for candidate_id in not_duplicate_of:
        db.session.add(DuplicateDecision(person_id=person.id, candidate_id=candidate_id,
                                         decided_by_id=actor.id))
    record("people.registered", actor=actor, obj=person, site=site.code,
           not_duplicate_of=[str(c) for c in not_duplicate_of])
    db.session.flush()
    return person


def update_identity(actor, person, data: dict):
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can edit this case."))
    year = _check_identity(data)
    changed = [n for n in IDENTITY_FIELDS if (data.get(n) or None) != getattr(person, n)]
    for name in IDENTITY_FIELDS:
        setattr(person, name, data.get(name) or None)
    person.birth_year = year
    for name in ("sex", "category", "languages"):
        if name in data and data[name] != getattr(person, name):
            changed.append(name)
            setattr(person, name, data[name])
    _index(person)
    record("people.identity_updated", actor=actor, obj=person, fields=sorted(changed))
    db.session.flush()


def find_duplicates(data: dict, exclude_id=None) -> list[Person]:
    """Candidates sharing a blind index, confirmed by comparing the decrypted values."""
    keys = {
        "id_number": blind_index("id_number", data.get("id_number")),
        "phone": blind_index("phone", data.get("phone")),
        "name_year": blind_index("name_year", (_full_name(data), data.get("birth_year"))),
    }
    columns = {"id_number": Person.id_number_bidx, "phone": Person.phone_bidx,
               "name_year": Person.name_year_bidx}
    conditions = [columns[k] == v for k, v in keys.items() if v is not None]
    if not conditions:
        return []
    stmt = sa.select(Person).where(sa.or_(*conditions), Person.erased_at.is_(None))
    if exclude_id:
        stmt = stmt.where(Person.id != exclude_id)
    return [p for p in db.session.scalars(stmt.limit(50)) if _confirmed_match(p, data, keys)]


def _full_name(data):
    return f"{data.get('first_name') or ''} {data.get('last_name') or ''}".strip()


def _confirmed_match(person, data, keys):
    """Blind indexes collide on purpose: confirm on the decrypted values."""
    if keys["id_number"] and person.id_number_bidx == keys["id_number"] and \
            matches("id_number", person.id_number, data.get("id_number")):
        return True
    if keys["phone"] and person.phone_bidx == keys["phone"] and \
            matches("phone", person.phone, data.get("phone")):
        return True
    return bool(keys["name_year"]) and matches(
        "name_year", (person.display_name, person.birth_year),
        (_full_name(data), data.get("birth_year")))


# --- consent --------------------------------------------------------------------------------------
def active_consents(person):
    return db.session.scalars(sa.select(Consent).where(
        Consent.person_id == person.id, Consent.withdrawn_at.is_(None))).all()


def has_consent(person, purpose, service_category=None) -> bool:
    stmt = sa.select(sa.func.count()).select_from(Consent).where(
        Consent.person_id == person.id, Consent.purpose == purpose,
        Consent.withdrawn_at.is_(None))
    if service_category is not None:
        stmt = stmt.where(Consent.service_category == service_category)
    return bool(db.session.scalar(stmt))


def record_consent(actor, person, purpose, method, witness_name=None, service_category=None,
                   text_version=CONSENT_TEXT_VERSION) -> Consent:
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can record consent."))
    purpose = ConsentPurpose(purpose)
    if purpose == ConsentPurpose.SHARING and not service_category:
        raise DomainError(_l("Choose the category of services this consent covers."),
                          "service_category")
    if method == "verbal_witnessed" and not witness_name:
        raise DomainError(_l("Verbal consent needs a witness."), "witness_name")
    if has_consent(person, purpose, service_category if purpose == ConsentPurpose.SHARING
                   else None):
        raise DomainError(_l("This consent is already recorded."), "purpose")
    consent = Consent(person_id=person.id, purpose=purpose, method=method,
                      service_category=service_category if purpose == ConsentPurpose.SHARING
                      else None, text_version=text_version, recorded_by_id=actor.id)
    db.session.add(consent)
    consent.witness_name = witness_name or None
    record("people.consent_given", actor=actor, obj=person, purpose=purpose.value,
           category=consent.service_category, method=str(method), text_version=text_version)
    db.session.flush()
    from icrs.people.stages import advance_when_ready  # stages builds on this module
    advance_when_ready(actor, person)
    return consent


def withdraw_consent(actor, person, consent):
    """Takes effect at once: new sharing stops; open referrals hide their packet (referrals)."""
    if not person.can_withdraw_consent(actor):
        raise AccessDenied(_l("You cannot change this person's consent."))
    if consent.person_id != person.id or consent.withdrawn_at is not None:
        raise DomainError(_l("This consent is not active."))
    consent.withdrawn_at = utcnow()
    consent.withdrawn_by_id = actor.id
    person.consent_withdrawn_at = consent.withdrawn_at
    record("people.consent_withdrawn", actor=actor, obj=person, purpose=consent.purpose.value,
           category=consent.service_category)
    db.session.flush()
    from icrs.people import signals
    signals.consent_withdrawn.send(person, consent=consent, actor=actor)


# --- assignment -----------------------------------------------------------------------------------
def reassign(actor, person, caseworker):
    if not person.can_supervise(actor):
        raise AccessDenied(_l("Only a supervisor of this region can reassign cases."))
    if caseworker.role != Role.CASEWORKER or caseworker.site_id != person.site_id \
            or not caseworker.active:
        raise DomainError(_l("Choose an active caseworker of the person's site."), "caseworker_id")
    old = person.caseworker_id
    person.caseworker = caseworker
    record("people.reassigned", actor=actor, obj=person, old_caseworker=old,
           new_caseworker=caseworker.id)
    db.session.flush()


def record_list_view(actor, count):
    record("people.list_viewed", actor=actor, object_type="person", count=count)


def mark_viewed(actor, person, what="case"):
    """Every view of personal data is audited."""
    record("people.viewed", actor=actor, obj=person, page=what)

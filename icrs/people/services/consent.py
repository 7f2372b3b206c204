"""Consent per purpose: record (under the text in force), renew, withdraw, ask."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people import signals
from icrs.people.models import Consent, ConsentGiver, ConsentPurpose, ConsentText
from icrs.people.services.consent_givers import check_giver
from icrs.people.services.consent_texts import current_text, is_default, text_in_force

CURRENT = object()  # record_consent: under the text in force (callers that show no page)


# --- the one rule: which consents count -----------------------------------------------------------
def needs_reconsent():
    """SQL condition on Consent: a version published after the one this consent was given
    under asks for re-consent (a consent without its text counts as given before version 1)."""
    given, newer = sa.orm.aliased(ConsentText), sa.orm.aliased(ConsentText)
    given_version = (sa.select(given.version).where(given.id == Consent.text_id)
                     .correlate(Consent).scalar_subquery())
    return sa.exists().where(newer.purpose == Consent.purpose,
                             newer.requires_reconsent.is_(True), newer.published_at.is_not(None),
                             newer.version > sa.func.coalesce(given_version, 0)
                             ).correlate(Consent)


def in_force():
    """SQL condition on Consent: not withdrawn and not waiting for re-consent. Everything that
    lets data be used or shared asks this."""
    return sa.and_(Consent.withdrawn_at.is_(None), ~needs_reconsent())


def active_consents(person):
    return db.session.scalars(sa.select(Consent).where(
        Consent.person_id == person.id, Consent.withdrawn_at.is_(None))).all()


def consents_needing_renewal(person) -> set:
    """Ids of the person's active consents that wait for re-consent (the case page)."""
    return set(db.session.scalars(sa.select(Consent.id).where(
        Consent.person_id == person.id, Consent.withdrawn_at.is_(None), needs_reconsent())))


def givers_that_count(person) -> tuple:
    """Who must have consented, by the age today: a child needs both a caregiver's consent and
    their own assent (Paris Principles, interagency CAAFAG practice); an adult only their own,
    so on turning 18 what a caregiver gave for them no longer counts."""
    if person.is_minor:
        return (ConsentGiver.CAREGIVER, ConsentGiver.CHILD_ASSENT)
    return (ConsentGiver.SELF,)


def counting_consents(person, purpose) -> dict:
    """{service category (None outside sharing): the newest consent in force that makes it
    count} — the one rule every use of consent asks (sharing, packet, matching, stages)."""
    needed = givers_that_count(person)
    rows = db.session.scalars(sa.select(Consent).where(
        Consent.person_id == person.id, Consent.purpose == ConsentPurpose(purpose),
        Consent.given_by.in_(needed), Consent.for_referral.is_(False),  # a referral's own
        in_force()).order_by(Consent.given_at.desc())).all()
    found = {}
    for consent in rows:
        found.setdefault(consent.service_category, {}).setdefault(consent.given_by, consent)
    return {category: givers[needed[0]] for category, givers in found.items()
            if all(giver in givers for giver in needed)}


def counting_consent(person, purpose, service_category=None):
    """The consent that makes `purpose` (for `service_category`) count, or None."""
    return counting_consents(person, purpose).get(service_category)


def consented_categories(person) -> set:
    """The service categories the person's sharing consent covers, by the rule above."""
    return set(counting_consents(person, ConsentPurpose.SHARING))


def has_consent(person, purpose, service_category=None) -> bool:
    """The purpose counts as consented (for sharing without a category: for any category)."""
    counting = counting_consents(person, purpose)
    if service_category is None:
        return bool(counting)
    return service_category in counting


def _text_to_record(actor, purpose, shown_text_id):
    """The version read to the person must still be the one in force: if an admin published a
    newer one since the page was opened, refuse rather than store the wrong version."""
    text = text_in_force(purpose, actor) if shown_text_id is CURRENT else current_text(purpose)
    if shown_text_id is CURRENT:
        return text
    if shown_text_id is None and (text is None or is_default(text)):  # built-in text shown
        return text_in_force(purpose, actor)
    if text is None or text.id != shown_text_id:
        raise ConflictError(_l("A new version of this consent text was published after the "
                               "page was opened. Read the new text to the person, then record "
                               "the consent again."), "purpose")
    return text


def record_consent(actor, person, purpose, method, witness_name=None, service_category=None,
                   shown_text_id=CURRENT, given_by=None, caregiver_relationship=None,
                   caregiver_name=None) -> Consent:
    """Record consent under the text shown (`shown_text_id`: the version id the page showed, None
    for the built-in text), given by `given_by` (the person by default; for a child, say whether
    the caregiver or the child gave it). A consent waiting for re-consent is renewed: closed and
    pointing at the new one."""
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can record consent."))
    purpose = ConsentPurpose(purpose)
    if purpose == ConsentPurpose.SHARING and not service_category:
        raise DomainError(_l("Choose the category of services this consent covers."),
                          "service_category")
    if method == "verbal_witnessed" and not witness_name:
        raise DomainError(_l("Verbal consent needs a witness."), "witness_name")
    giver = check_giver(person, given_by, caregiver_relationship, caregiver_name)
    category = service_category if purpose == ConsentPurpose.SHARING else None
    if _given_by_already(person, purpose, category, giver["given_by"]):
        raise DomainError(_l("This consent is already recorded."), "purpose")
    text = _text_to_record(actor, purpose, shown_text_id)
    consent = Consent(person_id=person.id, purpose=purpose, method=method,
                      service_category=category, text_id=text.id,
                      text_version=str(text.version), recorded_by_id=actor.id,
                      given_by=giver.pop("given_by"))
    db.session.add(consent)
    consent.witness_name = witness_name or None
    for name, value in giver.items():
        setattr(consent, name, value)
    db.session.flush()
    renewed = _renew(actor, person, consent)
    record("people.consent_given", actor=actor, obj=person, purpose=purpose.value,
           category=consent.service_category, method=str(method),
           text_version=consent.text_version, renewed=renewed, given_by=consent.given_by.value)
    db.session.flush()
    from icrs.people.stages import advance_when_ready  # stages builds on this package
    advance_when_ready(actor, person)
    return consent


def _given_by_already(person, purpose, category, giver) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count()).select_from(Consent).where(
        Consent.person_id == person.id, Consent.purpose == purpose,
        Consent.service_category.is_(None) if category is None
        else Consent.service_category == category,
        Consent.given_by == giver, Consent.for_referral.is_(False), in_force())))


def _renew(actor, person, consent) -> int:
    """Close the older active consents of the same purpose (and category) that the new one
    replaces (same giver): they wait for re-consent, or record_consent would have refused."""
    older = db.session.scalars(sa.select(Consent).where(
        Consent.person_id == person.id, Consent.purpose == consent.purpose,
        Consent.service_category.is_(None) if consent.service_category is None
        else Consent.service_category == consent.service_category,
        Consent.given_by == consent.given_by, Consent.withdrawn_at.is_(None),
        Consent.id != consent.id,
        Consent.for_referral.is_(False))).all()  # one referral's consent stays its own
    for old in older:
        old.withdrawn_at, old.withdrawn_by_id = consent.given_at, actor.id
        old.superseded_by_id = consent.id
    return len(older)


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
    signals.consent_withdrawn.send(person, consent=consent, actor=actor)

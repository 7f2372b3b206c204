"""Consent per purpose: record (under the text in force), renew, withdraw, ask."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people import signals
from icrs.people.models import Consent, ConsentPurpose, ConsentText
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


def has_consent(person, purpose, service_category=None) -> bool:
    stmt = sa.select(sa.func.count()).select_from(Consent).where(
        Consent.person_id == person.id, Consent.purpose == purpose, in_force())
    if service_category is not None:
        stmt = stmt.where(Consent.service_category == service_category)
    return bool(db.session.scalar(stmt))


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
                   shown_text_id=CURRENT) -> Consent:
    """Record consent under the text shown (`shown_text_id`: the version id the page showed, None
    for the built-in text). A consent waiting for re-consent is renewed: closed and pointing at
    the new one."""
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can record consent."))
    purpose = ConsentPurpose(purpose)
    if purpose == ConsentPurpose.SHARING and not service_category:
        raise DomainError(_l("Choose the category of services this consent covers."),
                          "service_category")
    if method == "verbal_witnessed" and not witness_name:
        raise DomainError(_l("Verbal consent needs a witness."), "witness_name")
    category = service_category if purpose == ConsentPurpose.SHARING else None
    if has_consent(person, purpose, category):
        raise DomainError(_l("This consent is already recorded."), "purpose")
    text = _text_to_record(actor, purpose, shown_text_id)
    consent = Consent(person_id=person.id, purpose=purpose, method=method,
                      service_category=category, text_id=text.id,
                      text_version=str(text.version), recorded_by_id=actor.id)
    db.session.add(consent)
    consent.witness_name = witness_name or None
    db.session.flush()
    renewed = _renew(actor, person, consent)
    record("people.consent_given", actor=actor, obj=person, purpose=purpose.value,
           category=consent.service_category, method=str(method),
           text_version=consent.text_version, renewed=renewed)
    db.session.flush()
    from icrs.people.stages import advance_when_ready  # stages builds on this package
    advance_when_ready(actor, person)
    return consent


def _renew(actor, person, consent) -> int:
    """Close the older active consents of the same purpose (and category) that the new one
    replaces: they wait for re-consent, or has_consent would have refused."""
    older = db.session.scalars(sa.select(Consent).where(
        Consent.person_id == person.id, Consent.purpose == consent.purpose,
        Consent.service_category.is_(None) if consent.service_category is None
        else Consent.service_category == consent.service_category,
        Consent.withdrawn_at.is_(None), Consent.id != consent.id,
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

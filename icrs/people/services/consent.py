"""Consent per purpose: record, withdraw, ask."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people import signals
from icrs.people.models import Consent, ConsentPurpose

CONSENT_TEXT_VERSION = "2025-1"


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
    from icrs.people.stages import advance_when_ready  # stages builds on this package
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
    signals.consent_withdrawn.send(person, consent=consent, actor=actor)

"""Partner tokens (created and revoked by an administrator, audited) and the partner's acts
through the FHIR API: reading its referrals (audited when the packet is shown) and moving a
referral's Task through the referral state machine as the provider."""
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import utcnow
from icrs.exchange.fhir_models import PartnerToken
from icrs.extensions import db
from icrs.referrals import services as referrals
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus

DEFAULT_DAYS = 365
MAX_DAYS = 730


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_admin(actor):
    if actor is None or actor.role != Role.ADMIN:
        raise AccessDenied(_l("Only administrators manage partner tokens."))


def create_partner_token(actor, organisation, label, days=DEFAULT_DAYS, now=None):
    """Returns (token row, the token in clear): the clear token is never stored."""
    _require_admin(actor)
    if organisation is None:
        raise DomainError(_l("Choose the partner organisation."), "organisation_id")
    if not 1 <= int(days) <= MAX_DAYS:
        raise DomainError(_l("Between 1 and %(n)s days.", n=MAX_DAYS), "days")
    raw = "icrs_fhir_" + secrets.token_urlsafe(32)
    now = now or utcnow()
    token = PartnerToken(organisation_id=organisation.id, label=label.strip(),
                         token_hash=hash_token(raw), created_by_id=actor.id, created_at=now,
                         expires_at=now + timedelta(days=int(days)))
    db.session.add(token)
    db.session.flush()
    record("exchange.partner_token_created", actor=actor, obj=token,
           organisation=str(organisation.id), expires_at=token.expires_at.isoformat())
    return token, raw


def revoke_partner_token(actor, token):
    _require_admin(actor)
    if token.revoked_at is not None:
        raise DomainError(_l("This token is already revoked."))
    token.revoked_at = utcnow()
    db.session.flush()
    record("exchange.partner_token_revoked", actor=actor, obj=token,
           organisation=str(token.organisation_id))
    return token


def authenticate(raw):
    """The live token matching `raw`, its last use stamped; None if unknown, expired or
    revoked."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(sa.select(PartnerToken).where(
        PartnerToken.token_hash == hash_token(raw)))
    if token is None or not token.is_live():
        return None
    token.last_used_at = utcnow()
    db.session.flush()
    return token


# --- the partner's referrals --------------------------------------------------------------------
def partner_referrals(token):
    """Referrals sent to the token's organisation (never drafts)."""
    return (sa.select(Referral).where(Referral.organisation_id == token.organisation_id,
                                      Referral.status != ReferralStatus.DRAFT)
            .order_by(Referral.sent_at.desc(), Referral.id))


def partner_referral(token, referral_id):
    """The referral if it was sent to the token's organisation, else None (a 404: another
    partner's referral and a missing one answer the same)."""
    referral = db.session.get(Referral, referral_id)
    if (referral is None or referral.organisation_id != token.organisation_id
            or referral.status == ReferralStatus.DRAFT):
        return None
    return referral


def record_read(token, referrals_shown, resource):
    """One audit entry per response that carries packet data (no personal value in it)."""
    if referrals_shown:
        record("exchange.fhir_read", obj=token, resource=resource,
               organisation=str(token.organisation_id),
               referrals=[str(r.id) for r in referrals_shown])


def update_task(token, referral, update, version=None):
    """Apply a partner's Task status through the state machine, as the provider. `update`:
    {status, reason, outcome, note} (icrs.exchange.fhir.read_task_update)."""
    if referral.organisation_id != token.organisation_id:
        raise AccessDenied(_l("This referral is not addressed to your organisation."))
    referrals.expect_version(referral, version)
    referrals.provider_move(None, referral, update["status"], update.get("reason"),
                            update.get("outcome"), update.get("note"),
                            partner_token=token.id, via="fhir")

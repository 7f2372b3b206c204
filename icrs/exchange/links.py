"""One-time provider links: a referral answered by a provider without an account.

"One-time" here means:
- a link belongs to one referral: its token (in the URL and the QR code) and its short code (read
  out or typed on a phone) open that referral and no other;
- it works only while the referral is open (sent, accepted, in service, on hold): it stops for
  good once the referral ends (declined, completed, not completed, withdrawn), when a caseworker
  or supervisor revokes it, when it expires (ICRS_PROVIDER_LINK_DAYS after it was made), and when
  a new link is made for the same referral;
- each answer is used once: the page's form carries the link's step (a nonce) and an answer is
  taken only if the step is still the current one, which it moves on atomically; a replayed or
  double POST finds an old step and writes nothing.

Only hashes are stored: SHA-256 of the 256-bit token, HMAC-SHA256 (blind-index key) of the short
code. The provider's moves go through the referral state machine with the provider role
(icrs.referrals.services.provider_move), audited with the link's id and no user.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import utcnow
from icrs.exchange.link_models import ProviderAnswer, ReferralLink
from icrs.extensions import db
from icrs.referrals import states
from icrs.referrals.models import Referral
from icrs.referrals.services import provider_move
from icrs.referrals.states import OPEN, PROVIDER, IllegalTransition, Outcome, ReferralStatus
from icrs.referrals.vocabularies import DECLINE_OTHER

S = ReferralStatus
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read out on the phone
CODE_LENGTH = 8
ACTIONS = {"accept": S.ACCEPTED, "decline": S.DECLINED, "start": S.IN_SERVICE,
           "complete": S.COMPLETED, "not_complete": S.NOT_COMPLETED}
CHANNELS = ("link", "sms", "phone", "paper", "in_person")
ON_BEHALF_CHANNELS = ("phone", "paper", "in_person")
# without an outcome chosen (an SMS), the outcome recorded for each ending
DEFAULT_OUTCOME = {S.COMPLETED: Outcome.SERVED, S.NOT_COMPLETED: Outcome.NO_SHOW}


class LinkInvalid(DomainError):
    """Unknown, expired, revoked or used-up link or short code."""

    status = 404

    def __init__(self, message=None):
        super().__init__(message or _l("This link or code does not work (any more). Contact the "
                                       "caseworker who referred the person."))


class StepUsed(ConflictError):
    """The answer was already taken (a replayed or double POST)."""

    def __init__(self):
        super().__init__(_l("This answer was already sent. Here is the referral as it is now."))


# --- making and revoking --------------------------------------------------------------------------
def token_hash(token) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def normalise_code(code) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code) -> str:
    key = current_app.extensions["icrs_crypto"].keyring.blind_key("provider-link-code")
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def shown_code(raw) -> str:
    return f"{raw[:4]}-{raw[4:]}"


def may_create(user, referral) -> bool:
    return referral.can_manage(user) and referral.status in OPEN


def may_revoke(user, referral) -> bool:
    """The referral's caseworker, or a supervisor who sees the case."""
    return referral.can_manage(user) or (user.role == Role.SUPERVISOR
                                         and referral.can_view(user))


def create_link(actor, referral, now=None):
    """A new link for an open referral (earlier links of the referral stop working). Returns
    (link, token, short code): the token and code are shown once and never stored."""
    if not referral.can_manage(actor):
        raise AccessDenied(_l("Only the assigned caseworker can make a provider link."))
    if referral.status not in OPEN:
        raise ConflictError(_l("Only a referral that was sent and has not ended can get a "
                               "provider link."))
    now = now or utcnow()
    for old in active_links(referral):
        _revoke(actor, old, now, replaced=True)
    token = secrets.token_urlsafe(32)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    days = current_app.config["ICRS_PROVIDER_LINK_DAYS"]
    link = ReferralLink(referral_id=referral.id, token_hash=token_hash(token),
                        code_hash=code_hash(raw), created_by_id=actor.id, created_at=now,
                        expires_at=now + timedelta(days=days), step=0)
    db.session.add(link)
    db.session.flush()
    record("exchange.link_created", actor=actor, obj=link, referral=str(referral.id),
           person=str(referral.person_id), days=days)
    return link, token, shown_code(raw)


def revoke_link(actor, link):
    if not may_revoke(actor, link.referral):
        raise AccessDenied(_l("Only the caseworker or a supervisor can revoke this link."))
    if link.revoked_at is not None:
        raise ConflictError(_l("This link was already revoked."))
    _revoke(actor, link, utcnow())


def _revoke(actor, link, now, replaced=False):
    link.revoked_at, link.revoked_by_id = now, actor.id
    record("exchange.link_revoked", actor=actor, obj=link, referral=str(link.referral_id),
           replaced=replaced)
    db.session.flush()


def active_links(referral):
    return db.session.scalars(sa.select(ReferralLink).where(
        ReferralLink.referral_id == referral.id, ReferralLink.revoked_at.is_(None))
        .order_by(ReferralLink.created_at)).all()


def links_of(referral):
    return db.session.scalars(sa.select(ReferralLink).where(
        ReferralLink.referral_id == referral.id).order_by(ReferralLink.created_at.desc())).all()


# --- finding a link -------------------------------------------------------------------------------
def state_of(link, now=None) -> str:
    """active, revoked, expired or ended (the referral ended, or was answered to its end)."""
    if link.revoked_at is not None:
        return "revoked"
    if link.used_at is not None or link.referral.status not in OPEN:
        return "ended"
    if link.expires_at <= (now or utcnow()):
        return "expired"
    return "active"


def _usable(link, now=None):
    if link is None or state_of(link, now) != "active":
        raise LinkInvalid()
    return link


def by_token(token, now=None) -> ReferralLink:
    link = db.session.scalar(sa.select(ReferralLink).where(
        ReferralLink.token_hash == token_hash(token)))
    return _usable(link, now)


def by_code(code, now=None) -> ReferralLink:
    if len(normalise_code(code)) != CODE_LENGTH:
        raise LinkInvalid()
    link = db.session.scalar(sa.select(ReferralLink).where(
        ReferralLink.code_hash == code_hash(code)))
    return _usable(link, now)


def by_id(link_id, now=None) -> ReferralLink:
    return _usable(db.session.get(ReferralLink, link_id) if link_id else None, now)


def actions_for(referral) -> list:
    """The link's actions the referral's status allows now, in order."""
    targets = states.allowed_targets(referral.status, PROVIDER)
    return [name for name, target in ACTIONS.items() if target in targets]


# --- answering ------------------------------------------------------------------------------------
def _target(action):
    try:
        return ACTIONS[action]
    except KeyError:
        raise DomainError(_l("Choose what to do with the referral."), "action") from None


def _arguments(target, reason, outcome, note):
    """Decline: a reason code and, for "other", the note. Outcomes: the chosen code, else the
    default of the ending. The provider's note is required to decline or to end unserved."""
    note = (note or "").strip() or None
    if target == S.DECLINED:
        if not reason:
            raise DomainError(_l("Say why the referral is declined."), "reason")
        if reason == DECLINE_OTHER and not note:
            raise DomainError(_l("Say why in the note."), "note")
    if target == S.NOT_COMPLETED and not note:
        raise DomainError(_l("Say why the service was not completed."), "note")
    if target in DEFAULT_OUTCOME:
        outcome = outcome or DEFAULT_OUTCOME[target].value
    return reason, outcome, note


def answer(link, action, *, step=None, reason=None, outcome=None, note=None, channel="link"):
    """Make the provider's move through `link`. `step` is the nonce the page showed (None from
    an SMS, which is one message: the referral's own state makes a repeat illegal)."""
    target = _target(action)
    referral = link.referral
    states.check(referral.status, target, PROVIDER)  # IllegalTransition: nothing written
    reason, outcome, note = _arguments(target, reason, outcome, note)
    _take_step(link, step)
    provider_move(None, referral, target, reason, outcome, note, link=str(link.id),
                  channel=channel)
    now = utcnow()
    link.last_used_at = now
    if referral.status not in OPEN:
        link.used_at = now
    db.session.add(ProviderAnswer(referral_id=referral.id, person_id=referral.person_id,
                                  action=action, channel=channel, link_id=link.id, at=now))
    db.session.flush()
    return referral


def _take_step(link, step):
    expected = link.step if step is None else _int(step)
    moved = db.session.execute(
        sa.update(ReferralLink).where(ReferralLink.id == link.id, ReferralLink.step == expected)
        .values(step=ReferralLink.step + 1).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise StepUsed()
    db.session.expire(link, ["step"])


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise StepUsed() from None


def answer_by_short_code(short_code: str, action: str, *, reason: str | None = None,
                         channel: str = "sms") -> Referral:
    """For the SMS gateway: the provider's answer by short code. A decline's `reason` is a
    decline-reason code or free text (kept as the note, reason "other"); for not_complete it is
    the note, and an outcome code as its first word chooses the outcome (default: did not come).
    Raises LinkInvalid (unknown, expired, revoked, used-up code) and IllegalTransition (the
    referral's status does not allow the action); DomainError for a missing reason."""
    link = by_code(short_code)
    target = _target(action)
    states.check(link.referral.status, target, PROVIDER)
    reason_code, outcome, note = _sms_arguments(target, reason)
    return answer(link, action, reason=reason_code, outcome=outcome, note=note, channel=channel)


def _sms_arguments(target, text):
    from icrs import lookups

    text = (text or "").strip()
    first, _, rest = text.partition(" ")
    if target == S.DECLINED:
        if lookups.is_valid("decline_reason", first.lower()):
            return first.lower(), None, rest.strip() or None
        return (DECLINE_OTHER if text else None), None, text or None
    if target == S.NOT_COMPLETED:
        fits = {o.value for o in states.OUTCOMES_FOR[S.NOT_COMPLETED]}
        if first.lower() in fits:
            return None, first.lower(), rest.strip() or text
        return None, None, text or None
    return None, None, text or None


# --- recorded on the provider's behalf ------------------------------------------------------------
def may_record(user, referral) -> bool:
    """The caseworker of the case (who manages the referral)."""
    return referral.can_manage(user)


def record_on_behalf(actor, referral, action, *, channel, received_from, reason=None,
                     outcome=None, note=None, version=None):
    """The provider's answer received by phone, on paper or in person, entered by the
    caseworker: the provider's move (state machine, provider role), audited as on behalf."""
    if not may_record(actor, referral):
        raise AccessDenied(_l("Only the assigned caseworker can record the provider's answer."))
    if version is not None and str(version) != str(referral.version):
        raise ConflictError(_l("Someone else changed this referral in the meantime. Check its "
                               "new status and try again."))
    if channel not in ON_BEHALF_CHANNELS:
        raise DomainError(_l("Choose how the answer was received."), "channel")
    received_from = (received_from or "").strip()
    if not received_from:
        raise DomainError(_l("Give the name of the person who answered."), "received_from")
    if len(received_from) > 200:
        raise DomainError(_l("Keep it under %(n)s characters.", n=200), "received_from")
    target = _target(action)
    try:
        states.check(referral.status, target, PROVIDER)
    except IllegalTransition as exc:
        raise ConflictError(exc.message) from exc
    reason, outcome, note = _arguments(target, reason, outcome, note)
    provider_move(actor, referral, target, reason, outcome, note, on_behalf=True,
                  channel=channel)
    entry = ProviderAnswer(referral_id=referral.id, person_id=referral.person_id, action=action,
                           channel=channel, recorded_by_id=actor.id)
    db.session.add(entry)
    entry.received_from = received_from
    if referral.status not in OPEN:
        for link in active_links(referral):
            link.used_at = link.used_at or utcnow()
    db.session.flush()
    return entry


def answers_of(referral):
    return db.session.scalars(sa.select(ProviderAnswer).where(
        ProviderAnswer.referral_id == referral.id).order_by(ProviderAnswer.at)).all()

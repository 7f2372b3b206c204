"""GBV and MHPSS referrals, survivor-centred: the sharing consent asked for one referral, with
the exact packet read to the person (built by icrs.referrals.packet, the code that builds the
packet sent); the survivor code a GBV referral carries instead of the name; the label others see.
Audit entries name fields and codes, never the survivor code or a value."""
import hashlib
import hmac
import json
import secrets
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.extensions import db
from icrs.people.models import Consent, ConsentMethod, ConsentPurpose
from icrs.people.protection import (
    PROTECTION_LABEL,
    is_protection_category,
    may_know,
)
from icrs.people.services.consent_texts import text_in_force
from icrs.referrals.matching import current_profile
from icrs.referrals.models import Referral
from icrs.referrals.packet import build_packet, clean_share, packet_rows
from icrs.referrals.sharing import category_code, per_referral, referral_consent
from icrs.referrals.states import ReferralStatus

# No 0/O, 1/I/L, 5/S, 8/B: read aloud and copied by hand without mistakes.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY2345679"
CODE_LENGTH = 8
PENDING_CODE = "—"  # the form's preview: the code is drawn when the referral is saved


def offers_survivor_code(service) -> bool:
    return is_protection_category(category_code(service))


def new_survivor_code() -> str:
    """Random (not derived from the person or the case), unique among referrals."""
    for _attempt in range(10):
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Referral)
                                 .where(Referral.survivor_code == code)):
            return code
    raise ConflictError(_l("No survivor code could be drawn. Try again."))


# --- what is shown to the person ------------------------------------------------------------------
def _clean(value):
    return (value or "").strip() or None


def draft_packet(person, data) -> dict:
    """The packet a referral saved with `data` (the referral form's values) would send."""
    values = SimpleNamespace(share=clean_share(data.get("share")),
                             reason=_clean(data.get("reason")), needs=_clean(data.get("needs")),
                             survivor_code=PENDING_CODE if data.get("survivor_code") else None)
    return build_packet(values, person, current_profile(person))


def fingerprint(packet) -> str:
    """What the form carries from the preview to the confirmation: a keyed digest (the values
    never leave the page in another form), the same for any survivor code."""
    shown = dict(packet, **({"survivor_code": PENDING_CODE} if "survivor_code" in packet else {}))
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = json.dumps(shown, sort_keys=True, default=str).encode()
    return hmac.new(key, b"referral-consent:" + message, hashlib.sha256).hexdigest()[:40]


def preview_rows(packet) -> list:
    return packet_rows(dict(packet, survivor_code=_l("given when the referral is saved"))
                       if packet.get("survivor_code") == PENDING_CODE else packet)


# --- the consent for one referral -----------------------------------------------------------------
def check_consent_form(data) -> dict:
    """Method, witness and the confirmation, before anything is written."""
    data = data or {}
    if not data.get("confirmed"):
        raise DomainError(_l("Read the details to the person, then confirm that they agree."),
                          "consent_confirmed")
    try:
        method = ConsentMethod(data.get("method") or "")
    except ValueError as exc:
        raise DomainError(_l("Choose how the person consented."), "consent_method") from exc
    witness = _clean(data.get("witness_name"))
    if method == ConsentMethod.VERBAL_WITNESSED and not witness:
        raise DomainError(_l("Verbal consent needs a witness."), "consent_witness")
    return {"method": method, "witness_name": witness, "fingerprint": data.get("fingerprint")}


def record_referral_consent(actor, referral, consent_data) -> Consent:
    """The consent for this referral, under the sharing text in force, for the packet the person
    was shown (refused if the details changed since)."""
    person = referral.person
    packet = build_packet(referral, person, current_profile(person))
    if not hmac.compare_digest(str(consent_data.get("fingerprint") or ""), fingerprint(packet)):
        raise DomainError(_l("The details to share changed after they were shown. Read them "
                             "to the person again."), "consent_confirmed")
    text = text_in_force(ConsentPurpose.SHARING, actor)
    consent = Consent(person_id=person.id, purpose=ConsentPurpose.SHARING,
                      method=consent_data["method"], service_category=category_code(
                          referral.service), text_id=text.id, text_version=str(text.version),
                      recorded_by_id=actor.id, for_referral=True, shared_fields=sorted(packet))
    db.session.add(consent)
    consent.witness_name = consent_data["witness_name"]
    consent.shared_packet = packet
    db.session.flush()
    referral.consent_id = consent.id
    record("referrals.consent_given", actor=actor, obj=referral, person=str(person.id),
           category=consent.service_category, method=consent.method.value,
           fields=consent.shared_fields, text_version=consent.text_version)
    return consent


def ask_consent_again(actor, referral, consent_data, version=None):
    """A draft whose details changed (or whose consent was withdrawn): a new consent for it; the
    one it replaces is closed."""
    if not referral.can_manage(actor):
        raise AccessDenied(_l("Only the assigned caseworker can record consent."))
    if version is not None and str(version) != str(referral.version):
        raise ConflictError(_l("Someone else changed this referral in the meantime. "
                               "Check its new status and try again."))
    if referral.status != ReferralStatus.DRAFT or not per_referral(referral.service):
        raise ConflictError(_l("Consent is asked again only for a draft referral."))
    data = check_consent_form(consent_data)
    old = referral_consent(referral)
    consent = record_referral_consent(actor, referral, data)
    if old is not None:
        old.withdrawn_at, old.withdrawn_by_id = consent.given_at, actor.id
        old.superseded_by_id = consent.id
    db.session.flush()
    return consent


def consent_for_sending(referral, packet) -> Consent:
    """The referral's own consent, for exactly this packet."""
    consent = referral_consent(referral)
    if consent is None:
        raise DomainError(_l("Ask the person's consent to share for this referral first."),
                          "consent_confirmed")
    if consent.shared_packet != packet:
        raise DomainError(_l("The details to share changed since the person consented. Ask "
                             "their consent again before sending."), "consent_confirmed")
    return consent


def consent_state(referral) -> dict:
    """For the referral page: the consent this draft or sent referral relies on."""
    consent = referral_consent(referral)
    current = consent is not None and (
        referral.status != ReferralStatus.DRAFT
        or consent.shared_packet == build_packet(referral, referral.person,
                                                 current_profile(referral.person)))
    return {"consent": consent, "current": current}


# --- what others see ------------------------------------------------------------------------------
def _own(referral, user):
    return user is not None and referral.is_for_provider(user)


def shows_service(referral, user) -> bool:
    """The person is read only for a protection category (lists stay one query per page)."""
    code = category_code(referral.service)
    return not is_protection_category(code) or may_know(code, user, referral.person,
                                                        _own(referral, user))


def service_label(referral, user):
    """The service's name, or the non-specific label (icrs.people.protection)."""
    return referral.service.name if shows_service(referral, user) else PROTECTION_LABEL

"""SMS to providers: a new referral, and a daily reminder of the referrals waiting past their
accept-by deadline. No personal data in any SMS: the referral's reference and the service's name
(none for GBV and MHPSS services), never the person's name, age, sex, place or case number.

Like e-mail (icrs.referrals.notifications), an SMS is written to the SmsOutbox in the transaction
of the change, so a rolled-back action sends nothing, and it leaves only after the commit: at the
end of the request that committed it (a failure there changes nothing, the row stays queued) and
at every `flask icrs remind` run otherwise. The number is the provider's professional number from
the directory (the service's, else the organisation's). Texts are bilingual: French then English.
"""
import logging
import re

import sqlalchemy as sa
from flask import after_this_request, current_app, g, has_request_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, Session, mapped_column

from icrs.core.timeutil import utcnow
from icrs.exchange.sms_gateways import SmsError, gateway_from_config
from icrs.extensions import db

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
SMS_TYPES = {"sms", "text", "cell", "mobile"}  # HSDS phone types that take SMS
CAMEROON_MOBILE = re.compile(r"^\+2376\d{8}$")  # a "voice" number that is a mobile takes SMS too
TYPOGRAPHY = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2019": "'", "«": '"', "»": '"'})

NEW_REFERRAL = _l("ICRS: new referral %(ref)s for %(service)s. Reply with the code from the "
                  "slip, or open the link you received.")
NEW_SENSITIVE_REFERRAL = _l("ICRS: new referral %(ref)s. Reply with the code from the slip, or "
                            "open the link you received.")
OVERDUE = _l("ICRS: %(n)s referrals wait for your answer past their deadline. Reply with the "
             "code from each slip, or sign in to ICRS.")


class SmsOutbox(db.Model):
    """One SMS to send. `to_number` is a provider's directory number (not beneficiary data)."""

    __tablename__ = "sms_outbox"
    __table_args__ = (sa.Index("ix_sms_outbox_pending", "sent_at", "attempts"),
                      sa.UniqueConstraint("dedup_key", name="sms_once"))
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id = mapped_column(sa.Uuid, sa.ForeignKey("organisation.id", ondelete="CASCADE"),
                                    index=True)
    kind: Mapped[str] = mapped_column(sa.String(24), nullable=False)
    to_number: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    body: Mapped[str] = mapped_column(sa.String(480), nullable=False)
    dedup_key: Mapped[str | None] = mapped_column(sa.String(64))
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    sent_at = mapped_column(sa.DateTime)
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    gateway_id: Mapped[str | None] = mapped_column(sa.String(64))
    last_error: Mapped[str | None] = mapped_column(sa.String(200))


# --- texts ----------------------------------------------------------------------------------------
def bilingual(message, **values) -> str:
    """French then English in one SMS, typographic spaces and quotes made plain (GSM alphabet)."""
    parts = []
    for locale in ("fr", "en"):
        with force_locale(locale):
            parts.append(str(message) % values if values else str(message))
    return " / ".join(parts).translate(TYPOGRAPHY)


def new_referral_text(referral) -> str:
    from icrs.referrals.sharing import per_referral

    service = referral.service
    if per_referral(service):  # GBV, MHPSS: even the service's name says too much on a phone
        return bilingual(NEW_SENSITIVE_REFERRAL, ref=referral.reference)
    return bilingual(NEW_REFERRAL, ref=referral.reference, service=plain(service.name, 40))


def plain(text, limit):
    """A directory name in the SMS: accents kept, cut to `limit` characters."""
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- numbers --------------------------------------------------------------------------------------
def normalise_number(number) -> str | None:
    """E.164 (+237…) or None: spaces, dots and dashes dropped, 00 → +, a 9-digit Cameroonian
    number gets +237."""
    digits = re.sub(r"[\s.\-()/]", "", str(number or ""))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"[26]\d{8}", digits):
        digits = "+237" + digits
    return digits if re.fullmatch(r"\+[1-9]\d{7,14}", digits) else None


def sms_number(phones) -> str | None:
    """The first phone marked for SMS, else the first voice number that is a Cameroonian
    mobile."""
    numbers = [(p.type or "").lower() for p in phones]
    for phone, kind in zip(phones, numbers, strict=True):
        if kind in SMS_TYPES and normalise_number(phone.number):
            return normalise_number(phone.number)
    for phone, kind in zip(phones, numbers, strict=True):
        number = normalise_number(phone.number)
        if kind in ("", "voice") and number and CAMEROON_MOBILE.match(number):
            return number
    return None


def number_for(service=None, organisation=None) -> str | None:
    return ((sms_number(service.phones) if service is not None else None)
            or (sms_number(organisation.phones) if organisation is not None else None))


# --- queueing -------------------------------------------------------------------------------------
def queue(to_number, body, kind, organisation_id=None, dedup_key=None):
    """Add one SMS to the outbox (flushes); it leaves after the commit."""
    sms = SmsOutbox(to_number=to_number, body=body, kind=kind, organisation_id=organisation_id,
                    dedup_key=dedup_key)
    db.session.add(sms)
    db.session.flush()
    db.session.info.setdefault("sms_queued", set()).add(sms.id)
    _deliver_after_request()
    return sms


def queue_new_referral(referral):
    """Called by referrals.services.send_referral; nothing without an SMS number."""
    number = number_for(referral.service, referral.service.organisation)
    if number is None:
        return None
    return queue(number, new_referral_text(referral), "received", referral.organisation_id)


def queue_overdue_reminders(now=None) -> int:
    """At most one SMS a day per organisation with referrals past their accept-by deadline
    (`flask icrs remind`, idempotent: the outbox row's dedup key is the day)."""
    from icrs.directory.models import Organisation
    from icrs.referrals.deadlines import overdue_to_accept
    from icrs.referrals.models import Referral

    now = now or utcnow()
    counts = db.session.execute(sa.select(Referral.organisation_id, sa.func.count())
                                .where(overdue_to_accept(now))
                                .group_by(Referral.organisation_id)).all()
    made = 0
    for organisation_id, count in counts:
        key = f"overdue:{organisation_id.hex}:{now.date().isoformat()}"
        if db.session.scalar(sa.select(SmsOutbox.id).where(SmsOutbox.dedup_key == key)):
            continue
        number = number_for(organisation=db.session.get(Organisation, organisation_id))
        if number:
            queue(number, bilingual(OVERDUE, n=count), "overdue", organisation_id, key)
            made += 1
    return made


# --- delivering -----------------------------------------------------------------------------------
def deliver_sms_outbox(limit=200, ids=None) -> int:
    """Send pending SMS (commits per message, so a crash does not resend). Returns how many the
    gateway took. A failure is logged with the outbox id and the error only."""
    gateway = gateway_from_config(current_app.config)
    stmt = sa.select(SmsOutbox).where(SmsOutbox.sent_at.is_(None),
                                      SmsOutbox.attempts < MAX_ATTEMPTS)
    if ids is not None:
        stmt = stmt.where(SmsOutbox.id.in_(ids))
    if gateway.name == "none":
        return 0  # nothing leaves; rows stay queued for when a gateway is configured
    sent = 0
    for sms in db.session.scalars(stmt.order_by(SmsOutbox.id).limit(limit)).all():
        sent += _send_one(gateway, sms)
        db.session.commit()
    return sent


def _send_one(gateway, sms) -> int:
    sms.attempts += 1
    try:
        sms.gateway_id = gateway.send(sms.to_number, sms.body)[:64]
    except SmsError as exc:
        sms.last_error = str(exc)[:200]
        log.warning("sms %s (%s) via %s failed: %s", sms.id, sms.kind, gateway.name, exc)
        return 0
    sms.sent_at = utcnow()
    return 1


def _deliver_after_request():
    """Once per request: after the view has committed, send what this request queued."""
    if not has_request_context() or g.get("sms_after_request"):
        return
    g.sms_after_request = True

    @after_this_request
    def _deliver(response):
        ids = db.session.info.pop("sms_committed", set())
        if ids and not (db.session.new or db.session.dirty or db.session.deleted):
            try:
                deliver_sms_outbox(ids=ids)
            except Exception:  # noqa: BLE001 - never fail a request that has committed
                db.session.rollback()
                log.exception("sms delivery after the request failed; the outbox keeps them")
        return response


@sa.event.listens_for(Session, "after_commit")
def _committed(session):
    queued = session.info.pop("sms_queued", None)
    if queued:
        session.info.setdefault("sms_committed", set()).update(queued)


@sa.event.listens_for(Session, "after_rollback")
def _rolled_back(session):
    session.info.pop("sms_queued", None)

"""Demo SMS outbox: the new-referral SMS of a few sent referrals in each delivery state (sent
through the gateway, queued, given up after five failures) and one overdue reminder."""
from datetime import timedelta

import sqlalchemy as sa

from icrs.exchange import sms
from icrs.exchange.sms import MAX_ATTEMPTS, SmsOutbox
from icrs.extensions import db
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus as S

STATES = ("sent", "sent", "queued", "failed")


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(SmsOutbox)):
        ctx.summary.append("SMS: demo outbox already present.")
        return
    referrals = db.session.scalars(sa.select(Referral).where(Referral.status == S.SENT)
                                   .order_by(Referral.sent_at, Referral.id)).all()
    made = 0
    for referral in referrals:
        number = sms.number_for(referral.service, referral.service.organisation)
        if number is None:
            continue
        _row(number, sms.new_referral_text(referral), "received", referral,
             STATES[made % len(STATES)])
        made += 1
        if made == len(STATES):
            break
    if referrals and made:
        last = referrals[0]
        _row(sms.number_for(last.service, last.service.organisation),
             sms.bilingual(sms.OVERDUE, n=1), "overdue", last, "sent")
    db.session.flush()
    ctx.summary.append(f"SMS: {made} new-referral SMS in the outbox (gateway none in the demo).")


def _row(number, body, kind, referral, state):
    at = referral.sent_at or referral.created_at
    row = SmsOutbox(to_number=number, body=body, kind=kind, created_at=at,
                    organisation_id=referral.organisation_id)
    if kind == "overdue":
        row.dedup_key = f"overdue:{referral.organisation_id.hex}:{at.date().isoformat()}"
    if state == "sent":
        row.sent_at, row.attempts = at + timedelta(seconds=3), 1
        row.gateway_id = f"demo-{referral.reference.lower()}-{kind}"
    elif state == "failed":
        row.attempts, row.last_error = MAX_ATTEMPTS, "HTTP 503"
    db.session.add(row)

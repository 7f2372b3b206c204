"""Demo provider links (icrs.exchange): among the sent referrals to organisations without a
login, one gets an active link, one is accepted through its link, and one is accepted by phone,
recorded by the caseworker on the provider's behalf. Through the services."""
import sqlalchemy as sa

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.exchange import links
from icrs.exchange.link_models import ReferralLink
from icrs.extensions import db
from icrs.people.models import Person
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(ReferralLink)):
        ctx.summary.append("Provider links: demo links already present.")
        return
    referrals = _candidates()
    if len(referrals) < 3:
        return
    active, answered, by_phone = referrals[:3]
    _link, token, code = links.create_link(active.person.caseworker, active)
    link, _token, _code = links.create_link(answered.person.caseworker, answered)
    links.answer(link, "accept", step=link.step)
    links.record_on_behalf(by_phone.person.caseworker, by_phone, "accept", channel="phone",
                           received_from="Mme Halima Oumarou")
    db.session.flush()
    ctx.summary.append(f"Provider links: referral {active.reference} has an active link "
                       f"(/p/{token}, code {code}); {answered.reference} was accepted through "
                       f"its link; {by_phone.reference} was accepted by phone, recorded on "
                       "behalf.")


def _candidates():
    """Sent referrals of assigned, not erased cases to organisations without a provider login,
    oldest first (deterministic)."""
    with_login = sa.select(User.organisation_id).where(User.role == Role.PROVIDER,
                                                       User.organisation_id.is_not(None))
    return db.session.scalars(
        sa.select(Referral).join(Person, Person.id == Referral.person_id).where(
            Referral.status == ReferralStatus.SENT, Person.erased_at.is_(None),
            Person.caseworker_id.is_not(None), Referral.packet_hidden_at.is_(None),
            Referral.organisation_id.not_in(with_login))
        .order_by(Referral.sent_at, Referral.id).limit(10)).all()

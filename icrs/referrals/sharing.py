"""Which consent lets a referral's packet be shared. Most service categories: the person's
sharing consent for the category. GBV and MHPSS (icrs.core.vocab.PER_REFERRAL_CONSENT_CATEGORIES):
only the consent given for this very referral (Referral.consent_id), never a category's. Sending,
the provider's pages and every later read of the packet ask `covers`."""
import sqlalchemy as sa

from icrs.extensions import db
from icrs.people.models import Consent, ConsentPurpose
from icrs.people.protection import asks_per_referral
from icrs.people.services import has_consent, in_force


def category_code(service):
    return service.category.code if service is not None and service.category else None


def per_referral(service) -> bool:
    return asks_per_referral(category_code(service))


def referral_consent(referral):
    """The referral's own consent while it is in force, else None."""
    if referral.consent_id is None:
        return None
    return db.session.scalar(sa.select(Consent).where(
        Consent.id == referral.consent_id, Consent.person_id == referral.person_id,
        Consent.for_referral.is_(True), in_force()))


def covers(referral) -> bool:
    """The packet may be shared (or still be read) under the consent in force."""
    if per_referral(referral.service):
        return referral_consent(referral) is not None
    return has_consent(referral.person, ConsentPurpose.SHARING, category_code(referral.service))

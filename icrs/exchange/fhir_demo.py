"""A demo partner token, issued when `flask icrs demo-logins` prints the demo logins (so that
someone trying the demo can call the FHIR API). It is generated there and then, never stored in
the repository; the previous demo token is revoked, so only the last one printed works."""
import sqlalchemy as sa

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.directory.models import Organisation
from icrs.exchange import fhir_services
from icrs.exchange.fhir_models import PartnerToken
from icrs.extensions import db

LABEL = "Demo partner system (Primero)"
DAYS = 30


def fresh_demo_token(organisation_name):
    """(organisation, token in clear), or None when the demo data is not loaded."""
    admin = db.session.scalar(sa.select(User).where(User.username == "admin",
                                                    User.role == Role.ADMIN))
    organisation = db.session.scalar(sa.select(Organisation).where(
        Organisation.name == organisation_name))
    if admin is None or organisation is None:
        return None
    for old in db.session.scalars(sa.select(PartnerToken).where(
            PartnerToken.label == LABEL, PartnerToken.revoked_at.is_(None))):
        fhir_services.revoke_partner_token(admin, old)
    _token, raw = fhir_services.create_partner_token(admin, organisation, LABEL, DAYS)
    db.session.commit()
    return organisation, raw

"""Demo organisations for the provider logins, and one login per role."""
import sqlalchemy as sa

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.demo.places import REGIONS, SITES, region, site
from icrs.directory.models import Organisation, OrganisationType
from icrs.extensions import db

PROVIDER_ORGS = [
    ("Centre de Formation aux Métiers de Maroua", OrganisationType.TRAINING_CENTRE, ["EN"]),
    ("Bamenda Psychosocial Support Network", OrganisationType.NGO, ["NW", "SW"]),
]

# username, role, full name, site, region, provider organisation index
USERS = [
    ("admin", Role.ADMIN, "Aïssatou Bello", None, None, None),
    ("supervisor", Role.SUPERVISOR, "Jean-Pierre Ngono", None, "EN", None),
    ("supervisor.national", Role.SUPERVISOR, "Marie-Claire Atangana", None, None, None),
    ("caseworker", Role.CASEWORKER, "Hamadou Oumarou", "MER", None, None),
    ("caseworker.mora", Role.CASEWORKER, "Fadimatou Abba", "MOR", None, None),
    ("caseworker.nw", Role.CASEWORKER, "Emmanuel Tanyi", "BAM", None, None),
    ("caseworker.sw", Role.CASEWORKER, "Grace Ebot", "BUE", None, None),
    ("caseworker.mokolo", Role.CASEWORKER, "Daniel Wandala", "MOK", None, None),
    ("caseworker.kumbo", Role.CASEWORKER, "Joyce Nfor", "KUM", None, None),
    ("caseworker.kumba", Role.CASEWORKER, "Peter Ayuk", "KBA", None, None),
    ("supervisor.nw", Role.SUPERVISOR, "Bridget Fru", None, "NW", None),
    ("supervisor.sw", Role.SUPERVISOR, "Samuel Tabi", None, "SW", None),
    ("provider", Role.PROVIDER, "Moussa Djibrilla", None, None, 0),
    ("provider2", Role.PROVIDER, "Comfort Ngwa", None, None, 1),
    ("suivi.national", Role.MONITORING, "Nadège Eyenga", None, None, None),
    ("suivi.en", Role.MONITORING, "Ibrahim Hayatou", None, "EN", None),
    # a colleague at Méri: sees the site's cases, not their restricted sections (break-glass)
    ("caseworker.meri2", Role.CASEWORKER, "Salamatou Mana", "MER", None, None),
]


def _organisation(name, kind, region_codes):
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, type=kind, regions=[region(c) for c in region_codes])
        db.session.add(org)
        db.session.flush()
    return org


def load(ctx):
    orgs = [_organisation(*spec) for spec in PROVIDER_ORGS]
    created = 0
    for username, role, full_name, site_code, region_code, org_index in USERS:
        if db.session.scalar(sa.select(User.id).where(User.username == username)):
            continue
        user = User(username=username, role=role, full_name=full_name,
                    email=f"{username}@icrs.example",
                    site=site(site_code) if site_code else None,
                    region=region(region_code) if region_code else None,
                    organisation=orgs[org_index] if org_index is not None else None)
        user.set_password(ctx.password)
        db.session.add(user)
        created += 1
    db.session.flush()
    ctx.summary.append(f"Accounts: {len(USERS)} demo logins ({created} new).")


def demo_logins():
    """(username, role, scope): the site, the region or, for a provider, the organisation."""
    return [(username, role.value, _scope(role, site_code, region_code, org_index))
            for username, role, _name, site_code, region_code, org_index in USERS]


def _scope(role, site_code, region_code, org_index):
    if role == Role.ADMIN:
        return "system"
    if org_index is not None:
        return f"organisation: {PROVIDER_ORGS[org_index][0]}"
    if site_code:
        return f"site {SITE_NAMES[site_code]}"
    if region_code:
        return f"region {REGION_NAMES[region_code]}"
    return "all regions"


SITE_NAMES = {code: fr for _region, code, fr, _en in SITES}
REGION_NAMES = {code: fr for _pcode, code, fr, _en in REGIONS}

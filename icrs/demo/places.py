"""The DDR sites of the demo programme, in the reference regions of Cameroon."""
import sqlalchemy as sa

from icrs.core.models import Region, Site
from icrs.extensions import db
from icrs.places.reference import REGIONS, load_reference_regions

SITES = [
    ("EN", "MER", "Méri", "Meri"),
    ("EN", "MOR", "Mora", "Mora"),
    ("EN", "MOK", "Mokolo", "Mokolo"),
    ("NW", "BAM", "Bamenda", "Bamenda"),
    ("NW", "KUM", "Kumbo", "Kumbo"),
    ("SW", "BUE", "Buea", "Buea"),
    ("SW", "KBA", "Kumba", "Kumba"),
]


def load(ctx):
    load_reference_regions()
    existing = {r.code: r for r in db.session.scalars(sa.select(Region))}
    sites = {s.code for s in db.session.scalars(sa.select(Site))}
    added = 0
    for region_code, code, fr, en in SITES:
        if code not in sites:
            db.session.add(Site(code=code, name_fr=fr, name_en=en, region=existing[region_code]))
            added += 1
    db.session.flush()
    ctx.summary.append(f"Places: {len(REGIONS)} regions, {len(SITES)} sites ({added} new).")


def region(code):
    return db.session.scalar(sa.select(Region).where(Region.code == code))


def site(code):
    return db.session.scalar(sa.select(Site).where(Site.code == code))

"""Regions of Cameroon and the DDR sites of the programme."""
import sqlalchemy as sa

from icrs.core.models import Region, Site
from icrs.extensions import db

# OCHA p-codes: only Extrême-Nord (CM004) is confirmed for now; others stay empty until checked.
REGIONS = [
    ("AD", None, "Adamaoua", "Adamawa"),
    ("CE", None, "Centre", "Centre"),
    ("ES", None, "Est", "East"),
    ("EN", "CM004", "Extrême-Nord", "Far North"),
    ("LT", None, "Littoral", "Littoral"),
    ("NO", None, "Nord", "North"),
    ("NW", None, "Nord-Ouest", "North-West"),
    ("OU", None, "Ouest", "West"),
    ("SU", None, "Sud", "South"),
    ("SW", None, "Sud-Ouest", "South-West"),
]

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
    existing = {r.code: r for r in db.session.scalars(sa.select(Region))}
    for code, pcode, fr, en in REGIONS:
        if code not in existing:
            existing[code] = Region(code=code, pcode=pcode, name_fr=fr, name_en=en)
            db.session.add(existing[code])
    db.session.flush()
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

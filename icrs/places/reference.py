"""Reference data of a clean install: the ten regions of Cameroon with their OCHA p-codes
(adm1 of the Cameroon COD). No sites: those are the programme's own."""
import sqlalchemy as sa

from icrs.audit.services import record
from icrs.core.models import Region
from icrs.extensions import db
from icrs.places.services import ensure_adm1

# (p-code, region code used in case numbers, French name, English name)
REGIONS = [
    ("CM001", "AD", "Adamaoua", "Adamawa"),
    ("CM002", "CE", "Centre", "Centre"),
    ("CM003", "ES", "Est", "East"),
    ("CM004", "EN", "Extrême-Nord", "Far North"),
    ("CM005", "LT", "Littoral", "Littoral"),
    ("CM006", "NO", "Nord", "North"),
    ("CM007", "NW", "Nord-Ouest", "North-West"),
    ("CM008", "OU", "Ouest", "West"),
    ("CM009", "SU", "Sud", "South"),
    ("CM010", "SW", "Sud-Ouest", "South-West"),
]
CODE_OF_PCODE = {pcode: code for pcode, code, _fr, _en in REGIONS}


def load_reference_regions() -> int:
    """Create the missing regions and fill the p-code of existing ones (found by code, when
    they have none and no other region holds it); nothing else of an existing region changes.
    Each region's adm1 area is made when missing. Returns how many regions were added or
    updated (0 the second time). Flushes, never commits."""
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    held = {r.pcode for r in regions.values() if r.pcode}
    added, updated = [], []
    for pcode, code, name_fr, name_en in REGIONS:
        region = regions.get(code)
        if region is None:
            if pcode in held:
                continue  # another region already stands for this adm1
            region = Region(code=code, pcode=pcode, name_fr=name_fr, name_en=name_en,
                            active=True)
            db.session.add(region)
            added.append(code)
        elif region.pcode is None and pcode not in held:
            region.pcode = pcode
            updated.append(code)
        if region.pcode == pcode:
            ensure_adm1(pcode, region.name_fr, region.name_en)
        held.add(pcode)
    db.session.flush()
    if added or updated:
        record("places.reference_loaded", added=added, updated=updated)
    return len(added) + len(updated)

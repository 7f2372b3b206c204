"""Places operations: the only place that changes regions, sites and administrative areas.
Each takes plain data and an `actor` (None from the command line), checks the rules, writes the
audit entry and flushes; the caller commits."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.models import AdminArea, Region, Site, flush_or_conflict
from icrs.extensions import db
from icrs.places.rules import (
    PERMISSION,
    clean_code,
    clean_coordinates,
    clean_name,
    clean_pcode,
    is_child_pcode,
)

TOGGLED = {  # (kind, active) -> audit action
    ("region", True): "places.region_reactivated", ("region", False): "places.region_deactivated",
    ("site", True): "places.site_reactivated", ("site", False): "places.site_deactivated",
    ("admin_area", True): "places.area_reactivated",
    ("admin_area", False): "places.area_deactivated",
}
CONCURRENT = _l("Someone saved the same code at the same time. Check the list and try again.")


def _check_actor(actor):
    if actor is not None and not actor.can(PERMISSION):
        raise AccessDenied(_l("Only administrators manage regions and sites."))


def _taken(model, column, value, own=None) -> bool:
    stmt = sa.select(model.id).where(column == value)
    if own is not None:
        stmt = stmt.where(model.id != own.id)
    return db.session.scalar(stmt) is not None


def area_by_pcode(pcode):
    return db.session.scalar(sa.select(AdminArea).where(AdminArea.pcode == pcode))


def region_by_code(code):
    return db.session.scalar(sa.select(Region).where(Region.code == code))


def site_by_code(code):
    return db.session.scalar(sa.select(Site).where(Site.code == code))


def _names(name_fr, name_en):
    return clean_name(name_fr, "name_fr"), clean_name(name_en, "name_en")


def _changed(obj, values) -> list:
    """Set `values` on `obj`; the names of the fields that changed."""
    changed = sorted(k for k, v in values.items() if getattr(obj, k) != v)
    for key in changed:
        setattr(obj, key, values[key])
    return changed


# --- regions ---------------------------------------------------------------------------------
def _region_pcode(region, pcode):
    """A region's p-code: an adm1 p-code no other region holds; its adm1 area is made when
    missing, so sites and lower areas can hang under it."""
    pcode = clean_pcode(pcode, required=False)
    if pcode is None:
        return None
    if _taken(Region, Region.pcode, pcode, region):
        raise DomainError(_l("Another region has this p-code."), "pcode")
    area = area_by_pcode(pcode)
    if area is not None and area.level != 1:
        raise DomainError(_l("This p-code is an area of level %(level)s, not a region (level 1).",
                             level=area.level), "pcode")
    return pcode


def ensure_adm1(pcode, name_fr, name_en):
    """The adm1 area of a region's p-code (made with the region's names when missing)."""
    area = area_by_pcode(pcode)
    if area is None:
        area = AdminArea(pcode=pcode, level=1, name_fr=name_fr, name_en=name_en)
        db.session.add(area)
    return area


def create_region(actor, code, name_fr, name_en, pcode=None) -> Region:
    _check_actor(actor)
    code = clean_code(code)
    if _taken(Region, Region.code, code):
        raise DomainError(_l("Another region has this code."), "code")
    name_fr, name_en = _names(name_fr, name_en)
    pcode = _region_pcode(None, pcode)
    region = Region(code=code, pcode=pcode, name_fr=name_fr, name_en=name_en, active=True)
    db.session.add(region)
    if pcode:
        ensure_adm1(pcode, name_fr, name_en)
    flush_or_conflict(CONCURRENT, integrity=True)
    record("places.region_created", actor=actor, obj=region, code=code, pcode=pcode)
    return region


def update_region(actor, region, name_fr, name_en, pcode=None) -> list:
    """Names and p-code; the code stays (it is in every case number of the region)."""
    _check_actor(actor)
    name_fr, name_en = _names(name_fr, name_en)
    pcode = _region_pcode(region, pcode)
    if pcode != region.pcode and any(s.area_id is not None for s in region.sites):
        raise DomainError(_l("Sites of this region lie in areas of its p-code: the p-code "
                             "stays."), "pcode")
    changed = _changed(region, {"name_fr": name_fr, "name_en": name_en, "pcode": pcode})
    if pcode:
        ensure_adm1(pcode, name_fr, name_en)
    flush_or_conflict(CONCURRENT, integrity=True)
    record("places.region_updated", actor=actor, obj=region, code=region.code, fields=changed)
    return changed


# --- sites -----------------------------------------------------------------------------------
def _site_area(region, area_pcode):
    """The adm2/adm3 area of a site: an active one inside the site's region."""
    pcode = clean_pcode(area_pcode, "area_pcode", required=False)
    if pcode is None:
        return None
    area = area_by_pcode(pcode)
    if area is None:
        raise DomainError(_l("No administrative area has this p-code."), "area_pcode")
    if area.level == 1:
        raise DomainError(_l("Give a department or district (adm2 or adm3); the region is "
                             "already known."), "area_pcode")
    if region.pcode is None or area.adm1.pcode != region.pcode:
        raise DomainError(_l("This area is not in the region %(region)s.", region=region.label),
                          "area_pcode")
    return area


def create_site(actor, code, region, name_fr, name_en, area_pcode=None, latitude=None,
                longitude=None) -> Site:
    _check_actor(actor)
    code = clean_code(code)
    if _taken(Site, Site.code, code):
        raise DomainError(_l("Another site has this code."), "code")
    if region is None or not region.active:
        raise DomainError(_l("Choose an active region."), "region_id")
    name_fr, name_en = _names(name_fr, name_en)
    area = _site_area(region, area_pcode)
    if area is not None and not area.active:
        raise DomainError(_l("This area is deactivated."), "area_pcode")
    latitude, longitude = clean_coordinates(latitude, longitude)
    site = Site(code=code, region=region, name_fr=name_fr, name_en=name_en, area=area,
                latitude=latitude, longitude=longitude, active=True)
    db.session.add(site)
    flush_or_conflict(CONCURRENT, integrity=True)
    record("places.site_created", actor=actor, obj=site, code=code, region=region.code,
           area=area.pcode if area else None)
    return site


def update_site(actor, site, name_fr, name_en, area_pcode=None, latitude=None,
                longitude=None) -> list:
    """Names, area and coordinates; code and region stay (case numbers and people's region
    follow them): to move a site, deactivate it and create another."""
    _check_actor(actor)
    name_fr, name_en = _names(name_fr, name_en)
    area = _site_area(site.region, area_pcode)
    if area is not None and not area.active and area.id != site.area_id:
        raise DomainError(_l("This area is deactivated."), "area_pcode")
    latitude, longitude = clean_coordinates(latitude, longitude)
    changed = _changed(site, {"name_fr": name_fr, "name_en": name_en, "latitude": latitude,
                              "longitude": longitude,
                              "area_id": area.id if area else None})
    db.session.flush()
    record("places.site_updated", actor=actor, obj=site, code=site.code, fields=changed)
    return changed


# --- administrative areas --------------------------------------------------------------------
def _area_parent(level, pcode, parent_pcode):
    if level not in (1, 2, 3):
        raise DomainError(_l("Choose level 1, 2 or 3."), "level")
    if level == 1:
        if parent_pcode:
            raise DomainError(_l("A region (level 1) has no parent."), "parent_pcode")
        return None
    parent = area_by_pcode(clean_pcode(parent_pcode, "parent_pcode"))
    if parent is None or parent.level != level - 1:
        raise DomainError(_l("The parent must be an existing area of level %(level)s.",
                             level=level - 1), "parent_pcode")
    if not parent.active:
        raise DomainError(_l("This area is deactivated."), "parent_pcode")
    if not is_child_pcode(pcode, parent.pcode):
        raise DomainError(_l("The p-code must begin with its parent's p-code %(pcode)s.",
                             pcode=parent.pcode), "pcode")
    return parent


def create_area(actor, pcode, level, name_fr, name_en, parent_pcode=None, latitude=None,
                longitude=None) -> AdminArea:
    _check_actor(actor)
    pcode = clean_pcode(pcode)
    if area_by_pcode(pcode) is not None:
        raise DomainError(_l("Another area has this p-code."), "pcode")
    parent = _area_parent(level, pcode, (parent_pcode or "").strip().upper())
    name_fr, name_en = _names(name_fr, name_en)
    latitude, longitude = clean_coordinates(latitude, longitude)
    area = AdminArea(pcode=pcode, level=level, parent=parent, name_fr=name_fr, name_en=name_en,
                     latitude=latitude, longitude=longitude, active=True)
    db.session.add(area)
    flush_or_conflict(CONCURRENT, integrity=True)
    record("places.area_created", actor=actor, obj=area, pcode=pcode, level=level)
    return area


def update_area(actor, area, name_fr, name_en, latitude=None, longitude=None) -> list:
    """Names and coordinates; the p-code, level and parent are the area's identity."""
    _check_actor(actor)
    name_fr, name_en = _names(name_fr, name_en)
    latitude, longitude = clean_coordinates(latitude, longitude)
    changed = _changed(area, {"name_fr": name_fr, "name_en": name_en, "latitude": latitude,
                              "longitude": longitude})
    db.session.flush()
    record("places.area_updated", actor=actor, obj=area, pcode=area.pcode, fields=changed)
    return changed


# --- deactivation ----------------------------------------------------------------------------
def set_active(actor, place, active: bool) -> bool:
    """Deactivate or reactivate a region, site or area: it stays on the records that hold it,
    but new choices no longer offer it. False when it already was in that state."""
    _check_actor(actor)
    if place.active == active:
        return False
    if active and isinstance(place, Site) and not place.region.active:
        raise DomainError(_l("Reactivate its region first."))
    place.active = active
    db.session.flush()
    kind = place.__tablename__
    record(TOGGLED[(kind, active)], actor=actor, obj=place,
           code=getattr(place, "code", None) or place.pcode)
    return True

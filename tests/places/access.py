"""Who may GET (or, for POST-only routes, use) each places endpoint; merged by the route matrix."""
ADMIN = {"admin"}

ACCESS = {
    "places.index": ADMIN,
    "places.region_new": ADMIN,
    "places.region_edit": ADMIN,
    "places.region_active": ADMIN,
    "places.site_new": ADMIN,
    "places.site_edit": ADMIN,
    "places.site_active": ADMIN,
    "places.areas": ADMIN,
    "places.area_new": ADMIN,
    "places.area_edit": ADMIN,
    "places.area_active": ADMIN,
    "places.cod_import": ADMIN,
    "places.cod_import_apply": ADMIN,
}

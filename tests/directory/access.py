"""Who may GET (or, for POST-only routes, use) each directory endpoint; merged by the route matrix.
The HSDS API endpoints are public-marked and answer 401 themselves without session or token."""
ALL = {"caseworker", "provider", "supervisor", "admin"}

ACCESS = {
    "directory.index": ALL,
    "directory.export": ALL,
    "directory.service_detail": ALL,
    "directory.service_new": {"admin"},
    "directory.service_edit": {"provider", "admin"},
    "directory.service_capacity": {"provider", "admin"},
    "directory.organisations": ALL,
    "directory.organisation_detail": ALL,
    "directory.organisation_new": {"admin"},
    "directory.organisation_edit": {"admin"},
    "directory.tokens": {"admin"},
    "directory.token_revoke": {"admin"},
    "hsds.root": ALL,
    "hsds.services": ALL,
    "hsds.service": ALL,
    "hsds.organizations": ALL,
    "hsds.organization": ALL,
    "hsds.taxonomies": ALL,
    "hsds.taxonomy": ALL,
    "hsds.taxonomy_terms": ALL,
    "hsds.taxonomy_term": ALL,
    "hsds.service_at_locations": ALL,
    "hsds.service_at_location": ALL,
    "hsds.unknown": ALL,  # JSON 404 / 405 for any other /hsds path or method
}

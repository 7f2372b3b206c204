"""Who may open each provider-link and slip route (GET); the public pages are in
tests/core/test_route_matrix.py PUBLIC."""
CW, SUP = "caseworker", "supervisor"

ACCESS = {
    "links.slip": {CW, SUP},
    "links.create": {CW},
    "links.revoke": {CW, SUP},
    "links.on_behalf": {CW},
}

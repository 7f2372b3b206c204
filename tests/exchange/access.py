"""Who may GET (or, for POST-only routes, use) each exchange endpoint; merged by the route matrix.
The FHIR API endpoints are public-marked and answer 401 themselves without a partner token; the
provider-link pages are in tests/core/test_route_matrix.py PUBLIC. The SMS webhook is public
too: the gateway authenticates each request with a signature or a shared secret
(icrs.exchange.sms_inbound), and it is POST only."""
ALL = {"caseworker", "provider", "supervisor", "admin", "monitoring"}
CW, SUP = "caseworker", "supervisor"

ACCESS = {
    "partner_tokens.index": {"admin"},
    "partner_tokens.revoke": {"admin"},
    "fhir.metadata": ALL,
    "fhir.servicerequest_search": ALL,
    "fhir.servicerequest_read": ALL,
    "fhir.task_search": ALL,
    "fhir.task_read": ALL,
    "fhir.task_update": ALL,
    "fhir.unknown": ALL,  # OperationOutcome 404 / 405 for any other /fhir/r4 path or method
    "links.slip": {CW, SUP},
    "links.create": {CW},
    "links.revoke": {CW, SUP},
    "links.on_behalf": {CW},
}
PUBLIC = {"sms.inbound"}

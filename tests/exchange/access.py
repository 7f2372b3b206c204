"""Who may GET (or, for POST-only routes, use) each exchange endpoint; merged by the route matrix.
The FHIR API endpoints are public-marked and answer 401 themselves without a partner token."""
ALL = {"caseworker", "provider", "supervisor", "admin", "monitoring"}

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
}

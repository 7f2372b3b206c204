"""Who may open each approval and erasure route (GET); others get 403, or 404 out of scope."""
CW, SUP, ADM = "caseworker", "supervisor", "admin"

ACCESS = {
    "approvals.index": {CW, SUP, ADM},
    "approvals.detail": {CW, SUP, ADM},
    "approvals.approve": {SUP, ADM},
    "approvals.reject": {SUP, ADM},
    "approvals.cancel": {CW, SUP, ADM},
    "people.erasure_request": {CW, SUP, ADM},
    "people.erasure_candidates": {ADM},
}

"""Who may open each plan route (GET); others get 403, or 404 for a case out of scope."""
CW, SUP = "caseworker", "supervisor"

ACCESS = {
    "plans.detail": {CW, SUP},
    "plans.version": {CW, SUP},
    "plans.edit": {CW},  # the assigned caseworker
    "plans.agree": {CW},  # POST
    "plans.discard": {CW},  # POST
    "plans.progress": {CW},  # POST
}

"""Who may open each profiling route (GET); others get 403, or 404 for objects out of scope."""
CW, SUP = "caseworker", "supervisor"

ACCESS = {
    "profiling.overview": {CW, SUP},
    "profiling.section": {CW, SUP},
    "profiling.submit": {CW},  # POST only
    "profiling.version": {CW, SUP},
}

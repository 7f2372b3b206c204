"""Who may open each transfer route (GET); others get 403, or 404 out of scope."""
CW, SUP = "caseworker", "supervisor"

ACCESS = {
    "transfers.index": {CW, SUP},
    "transfers.new": {CW, SUP},
    "transfers.detail": {CW, SUP},
    "transfers.accept": {SUP},
    "transfers.reject": {SUP},
    "transfers.withdraw": {CW, SUP},
    "transfers.contact": {CW},
    "transfers.contact_sent": {CW},
    "transfers.contacts": {CW, SUP},
}

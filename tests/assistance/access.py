"""Who may open each assistance route (GET); others get 403, or 404 out of scope."""
CW, SUP, ADM = "caseworker", "supervisor", "admin"

ACCESS = {
    "assistance.catalogue_index": {ADM},
    "assistance.type_new": {ADM},
    "assistance.type_edit": {ADM},
    "assistance.type_active": {ADM},
    "assistance.funding_source_new": {ADM},
    "assistance.period_new": {ADM},
    "assistance.propose": {CW},
    "assistance.resubmit": {CW},
    "assistance.handover_new": {CW},
    "assistance.handover_reverse": {CW},
    "assistance.resolve_duplicates": {SUP},
    "assistance.reconciliation": {ADM},  # ledger lines by case number: no finance role
    "assistance.verification_index": {SUP},
    "assistance.draw_spot_checks": {SUP},
    "assistance.spot_check": {SUP},
}

"""Who may reach each feedback route: staff record (the case's own rules then apply); the list
and a feedback's page for staff and administrators (what each sees is the feedback rule)."""
CW, SUP, ADM = "caseworker", "supervisor", "admin"

ACCESS = {
    "feedback.index": {CW, SUP, ADM},
    "feedback.detail": {CW, SUP, ADM},
    "feedback.change_status": {CW, SUP, ADM},
    "feedback.hotline": {CW, SUP},
    "feedback.record_for_case": {CW, SUP},
    "feedback.issue_code": {CW, SUP},
    "feedback.figures": {SUP, ADM, "monitoring"},
}

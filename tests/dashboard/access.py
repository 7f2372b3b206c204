"""Who may open each dashboard route (GET); others get 403."""
SUP, ADM = "supervisor", "admin"

ACCESS = {
    "dashboard.index": {SUP, ADM},
    "dashboard.report": {SUP, ADM},
    "dashboard.overdue": {SUP, ADM},
    "dashboard.export_csv": {SUP, ADM},
    "dashboard.export_xlsx": {SUP, ADM},
    "dashboard.personal_export": {ADM},
    "dashboard.personal_download": {ADM},  # POST with a one-time token
    "dashboard.break_glass": {SUP},
}

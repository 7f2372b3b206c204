"""Who may open each dashboard route (GET); others get 403."""
SUP, ADM, ME = "supervisor", "admin", "monitoring"

ACCESS = {
    "dashboard.index": {SUP, ADM, ME},
    "dashboard.report": {SUP, ADM, ME},
    "dashboard.overdue": {SUP, ADM},  # names cases: not the M&E / donor reader
    "dashboard.export_csv": {SUP, ADM, ME},
    "dashboard.export_xlsx": {SUP, ADM, ME},
    "dashboard.personal_export": {ADM},
    "dashboard.personal_download": {ADM},  # POST with a one-time token
    "dashboard.break_glass": {SUP},
    "dashboard.assistance": {SUP, ADM, ME},  # amounts with the people behind them, suppressed
    "dashboard.assistance_donor_csv": {SUP, ADM, ME},
    "dashboard.sustainability": {SUP, ADM, ME},  # suppressed for the reader without detail
}

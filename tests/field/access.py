"""Who may GET (or, for POST-only routes, use) each questionnaire endpoint; merged by the route
matrix."""
ADMIN = {"admin"}

ACCESS = {
    "questionnaires.index": ADMIN,
    "questionnaires.upload": ADMIN,
    "questionnaires.version": ADMIN,
    "questionnaires.publish": ADMIN,
    "questionnaires.download_version": ADMIN,
    "questionnaires.download_current": ADMIN,
    "questionnaires.download_xform": ADMIN,
}

"""Who may open each referrals route (GET); others get 403, or 404 for objects out of scope."""
CW, PROV, SUP, ADMIN = "caseworker", "provider", "supervisor", "admin"
ALL = {CW, PROV, SUP, ADMIN, "monitoring"}  # own notifications: every signed-in user

ACCESS = {
    "referrals.index": {CW, SUP},
    "referrals.overdue": {CW, SUP},
    "referrals.new": {CW},
    "referrals.detail": {CW, SUP},
    "referrals.send": {CW},
    "referrals.withdraw": {CW},
    "referrals.consent": {CW},
    "referrals.acknowledge": {CW},
    "referrals.inbox": {PROV},
    "referrals.received": {PROV},
    "referrals.accept": {PROV},
    "referrals.decline": {PROV},
    "referrals.progress": {PROV},
    "referrals.outcome": {PROV},
    "referrals.notifications": ALL,
    "referrals.notification_open": ALL,
    "referrals.notifications_read_all": ALL,
}

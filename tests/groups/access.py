"""Who may open each groups route (GET); others get 403, or 404 for groups out of scope."""
CW, SUP, P = "caseworker", "supervisor", "provider"

ACCESS = {
    "groups.index": {CW, SUP, P},
    "groups.new": {CW},
    "groups.detail": {CW, SUP, P},
    "groups.members": {CW, SUP},
    "groups.member_add": {CW},
    "groups.status_change": {CW},
    "groups.plan_save": {CW},
    "groups.meeting_add": {CW, SUP, P},
    "groups.follow_up_add": {CW, SUP, P},
    "groups.grant_add": {CW},
    "groups.referral_add": {CW},
    "dashboard.groups": {SUP, "admin", "monitoring"},
}

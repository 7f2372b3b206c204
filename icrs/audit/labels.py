"""Readable, translated names for audit actions and object types; unknown ones show as they are."""
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "admin.password_reset": _l("Password reset by an administrator"),
    "admin.user_created": _l("User created"),
    "admin.user_updated": _l("User updated"),
    "audit.backup_started": _l("Database backup started"),
    "audit.case_history_viewed": _l("Case history viewed"),
    "audit.log_viewed": _l("Audit log viewed"),
    "auth.2fa_disabled": _l("Two-step verification turned off"),
    "auth.2fa_enabled": _l("Two-step verification turned on"),
    "auth.locked": _l("Account locked"),
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Failed sign-in"),
    "auth.login_refused_locked": _l("Sign-in refused (account locked)"),
    "auth.password_changed": _l("Password changed"),
    "crypto.data_key_shredded": _l("Personal data erased (key destroyed)"),
    "dashboard.personal_export": _l("Personal data exported"),
    "directory.api_token_created": _l("API token created"),
    "directory.api_token_revoked": _l("API token revoked"),
    "directory.capacity_updated": _l("Service capacity updated"),
    "directory.imported": _l("Directory imported"),
    "directory.organisation_created": _l("Organisation created"),
    "directory.organisation_updated": _l("Organisation updated"),
    "directory.service_created": _l("Service created"),
    "directory.service_updated": _l("Service updated"),
    "people.consent_given": _l("Consent recorded"),
    "people.consent_withdrawn": _l("Consent withdrawn"),
    "people.follow_up_done": _l("Follow-up done"),
    "people.follow_up_scheduled": _l("Follow-up scheduled"),
    "people.identity_updated": _l("Identity updated"),
    "people.list_viewed": _l("Case list viewed"),
    "people.note_added": _l("Note added"),
    "people.plan_agreed": _l("Reintegration plan agreed"),
    "people.reassigned": _l("Case reassigned"),
    "people.registered": _l("Person registered"),
    "people.reintegration_requested": _l("Reintegration approval requested"),
    "people.reopened": _l("Case reopened"),
    "people.resumed": _l("Case resumed"),
    "people.stage_changed": _l("Stage changed"),
    "people.viewed": _l("Case viewed"),
    "profiling.section_saved": _l("Profile section saved"),
    "profiling.section_viewed": _l("Profile section viewed"),
    "profiling.submitted": _l("Profile submitted"),
    "profiling.viewed": _l("Profile viewed"),
    "referrals.acknowledged": _l("Referral outcome acknowledged"),
    "referrals.created": _l("Referral created"),
    "referrals.list_viewed": _l("Referral list viewed"),
    "referrals.packet_hidden": _l("Referral packet hidden (consent withdrawn)"),
    "referrals.sent": _l("Referral sent"),
    "referrals.status_changed": _l("Referral status changed"),
    "referrals.viewed": _l("Referral viewed"),
}

OBJECT_TYPES = {
    "person": _l("Person"),
    "user_account": _l("User"),
    "organisation": _l("Organisation"),
    "service": _l("Service"),
    "referral": _l("Referral"),
    "person_list": _l("List of people"),
    "api_token": _l("API token"),
}


def action_label(action):
    return ACTIONS.get(action, action)


def object_type_label(object_type):
    return OBJECT_TYPES.get(object_type, object_type or "—")

"""The one place that says which role may do what (object scope lives in `can_*` checks)."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum


class Role(LabelledEnum):
    CASEWORKER = "caseworker", _l("Caseworker")
    PROVIDER = "provider", _l("Service provider")
    SUPERVISOR = "supervisor", _l("Supervisor")
    ADMIN = "admin", _l("Administrator")
    # Programme monitoring and donors: dashboards and suppressed aggregates, never a person.
    MONITORING = "monitoring", _l("M&E / donor reader")


C, P, S, A, M = Role.CASEWORKER, Role.PROVIDER, Role.SUPERVISOR, Role.ADMIN, Role.MONITORING

PERMISSIONS = {
    # people and case work
    "people.view": {C, S},
    "people.register": {C},
    "people.edit": {C},
    "people.reassign": {S},
    "people.import": {S, A},  # the existing caseload, from CSV/XLSX (a supervisor: their region)
    "people.merge": {S},  # two cases of the same person become one
    "people.approve": {S},
    "people.sensitive": {C, S},  # association history, GBV/protection, health sections
    "people.break_glass_review": {S},  # the break-glass uses in the supervisor's area
    "people.erase": {A},  # approve erasures of any region; list retention candidates
    # approvals (icrs/approvals): who asks and who decides is per kind; these open the pages
    "approvals.view": {C, S, A},
    "approvals.decide": {S, A},
    # transfers between sites (icrs/transfers): who asks, decides and sees is the transfer
    # rule (icrs/transfers/rules.py); these open the pages
    "transfers.view": {C, S},
    "transfers.request": {C, S},
    "transfers.decide": {S},
    "transfers.contact": {C},  # ask the owner of a possible duplicate at another site
    # directory
    "directory.view": {C, P, S, A},
    "directory.edit": {P, A},
    # referrals
    "referrals.create": {C},
    "referrals.inbox": {P},
    "referrals.respond": {P},
    "referrals.view": {C, S, P},
    # community groups (icrs.groups): caseworkers form and run them; the member list (people)
    # is the case readers'; a facilitating provider sees its groups' counts and follow-ups
    "groups.view": {C, S, P},
    "groups.manage": {C},
    "groups.members": {C, S},
    # oversight
    "dashboard.view": {S, A, M},  # aggregates only: suppressed before any page or file shows them
    "dashboard.detail": {S, A},  # unsuppressed figures and the worklists that name cases
    "dashboard.export_personal": {A},
    "audit.view": {A},
    "audit.case_history": {S, A},
    # administration
    "admin.users": {A},
    "admin.places": {A},
    "admin.lookups": {A},
    "admin.consent": {A},  # consent texts: draft, publish
    "admin.assistance": {A},  # the assistance catalogue: funding sources, periods, types
    "field.questionnaires": {A},  # questionnaire versions (XLSForm): upload, publish
    # reintegration assistance: the assigned caseworker proposes and hands over; supervisors
    # approve (icrs.approvals), resolve possible double entitlements and verify handovers
    "assistance.propose": {C},
    "assistance.resolve": {S},
    # the finance reconciliation (ledger lines by case number): there is no finance role
    "assistance.reconciliation": {A},
    # spot-check verification of the ledger: supervisors draw the sample of their area and
    # record the checks assigned to them
    "assistance.verify": {S},
    # feedback and complaints (icrs.feedback): staff record them; who reads one is the
    # feedback rule (region, assigned caseworker, focal points for complaints about staff)
    "feedback.record": {C, S},
    "feedback.view": {C, S, A},
}


def has_permission(user, permission: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return user.role in PERMISSIONS[permission]

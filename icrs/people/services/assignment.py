"""Reassigning a case to another caseworker of its site."""
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.extensions import db


# --- assignment -----------------------------------------------------------------------------------
def reassign(actor, person, caseworker):
    if not person.can_supervise(actor):
        raise AccessDenied(_l("Only a supervisor of this region can reassign cases."))
    if caseworker.role != Role.CASEWORKER or caseworker.site_id != person.site_id \
            or not caseworker.active:
        raise DomainError(_l("Choose an active caseworker of the person's site."), "caseworker_id")
    old = person.caseworker_id
    person.caseworker = caseworker
    record("people.reassigned", actor=actor, obj=person, old_caseworker=old,
           new_caseworker=caseworker.id)
    db.session.flush()

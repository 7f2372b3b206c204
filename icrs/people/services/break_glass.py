"""Break-glass: a colleague of the site opens a person's sensitive sections for a while, giving a
reason; audited, and the assigned caseworker and the area's supervisors are told (in-app, no
personal data in the notification)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people import signals
from icrs.people.need_to_know import (
    REASON_MIN_LENGTH,
    BreakGlass,
    grant_duration,
    grant_minutes,
    may_break_glass,
)


def case_supervisors(person):
    """The active supervisors whose area covers the person (the region's and national ones)."""
    supervisors = db.session.scalars(sa.select(User).where(
        User.role == Role.SUPERVISOR, User.active.is_(True))).all()
    return [u for u in supervisors if u.scope.covers(person)]


def check_reason(reason) -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise DomainError(_l("Say why you need these sections (at least %(n)s characters).",
                             n=REASON_MIN_LENGTH), "reason")
    return reason


def break_glass(actor, person, reason) -> BreakGlass:
    """Open the sensitive sections of `person` to `actor` until the grant expires. Flushes."""
    if not may_break_glass(actor, person):
        raise AccessDenied(_l("You cannot open the restricted sections of this case."))
    reason = check_reason(reason)
    now = utcnow()
    grant = BreakGlass(person_id=person.id, user_id=actor.id, created_at=now,
                       expires_at=now + grant_duration())
    grant.reason = reason
    db.session.add(grant)
    db.session.flush()
    record("people.break_glass", actor=actor, obj=person, grant=str(grant.id),
           minutes=grant_minutes())
    recipients = [u for u in [person.caseworker, *case_supervisors(person)]
                  if u is not None and u.id != actor.id]
    signals.break_glass_used.send(person, actor=actor, recipients=recipients)
    return grant


def region_uses(user):
    """Break-glass uses on the people inside the user's area, newest first (a statement)."""
    from icrs.people.models import Person

    return (sa.select(BreakGlass).join(Person, Person.id == BreakGlass.person_id)
            .where(user.scope.clause(Person))
            .order_by(BreakGlass.created_at.desc(), BreakGlass.id))

"""Who may ask for, decide and see a transfer, and where a case may go.

- Ask: a caseworker or supervisor who can see the case (Scope.covers), for an open case.
- Destinations: the active sites of the requester's region (a caseworker's Scope names the
  region of their site; a national supervisor's, every region), plus the partner sites of the
  case's site in other regions (ICRS_TRANSFER_PARTNER_SITES); never the case's own site.
  Any other site is one the requester cannot see: refused.
- Decide (accept, reject): a supervisor of the receiving side, never the requester: one posted
  at the destination site, or one with no site whose region covers it (regional, national).
  A supervisor posted at another site (e.g. the sending one) is not the receiving side.
- Withdraw: the requester, or a supervisor of the sending side.
- See: both sides; the old site keeps seeing the row (the stub) after the case has left."""
import sqlalchemy as sa
from flask import current_app

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.models import Site, places
from icrs.extensions import db
from icrs.people.states import Stage


def may_request(user, person) -> bool:
    return (user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.active
            and person.can_view(user) and not person.is_erased and not person.is_merged
            and person.stage != Stage.EXITED)


def partner_codes(site_code) -> set:
    pairs = current_app.config.get("ICRS_TRANSFER_PARTNER_SITES") or ""
    codes = set()
    for pair in str(pairs).split(","):
        a, _, b = pair.strip().partition(":")
        if site_code == a.strip():
            codes.add(b.strip())
        elif site_code == b.strip():
            codes.add(a.strip())
    return codes


def destinations(user, person) -> list:
    """The sites `user` may send `person`'s case to, ordered by code."""
    partners = partner_codes(person.site.code)
    _, sites = places(active=True)
    return [s for s in sites if s.id != person.site_id
            and (user.scope.covers_region(s.region_id) or s.code in partners)]


def is_receiver(user, transfer) -> bool:
    """A supervisor of the receiving side (before the four-eyes rule)."""
    if user.role != Role.SUPERVISOR or not user.active:
        return False
    if user.site_id is not None:
        return user.site_id == transfer.to_site_id
    return user.scope.covers_region(transfer.to_region_id)


def is_sender(user, transfer) -> bool:
    if user.id == transfer.requested_by_id:
        return True
    if user.role != Role.SUPERVISOR or not user.active:
        return False
    if user.site_id is not None:
        return user.site_id == transfer.from_site_id
    return user.scope.covers_region(transfer.from_region_id)


def may_decide(user, transfer) -> bool:
    return is_receiver(user, transfer) and user.id != transfer.requested_by_id


def may_read_reason(user, transfer) -> bool:
    """The reason and the comment: the two sides' supervisors and the requester."""
    return is_receiver(user, transfer) or is_sender(user, transfer)


def may_see(user, transfer) -> bool:
    """The row itself (case number, places, status, dates): both sides, the old site's staff."""
    return may_read_reason(user, transfer) or (
        user.scope.people and user.scope.covers_site(transfer.from_site))


def visible_clause(user, on):
    """may_see as SQL over CaseTransfer `on` (the worklist and the stubs)."""
    if user.role not in (Role.CASEWORKER, Role.SUPERVISOR):
        return sa.false()
    clauses = [on.requested_by_id == user.id]
    scope = user.scope
    if scope.people:
        if scope.site_id is not None:
            clauses.append(on.from_site_id == scope.site_id)
        elif scope.region_id is not None:
            clauses += [on.from_region_id == scope.region_id, on.to_region_id == scope.region_id]
        else:
            clauses.append(sa.true())
    return sa.or_(*clauses)


def decidable_clause(user, on):
    """Open transfers `user` may accept or reject, as SQL."""
    if user.role != Role.SUPERVISOR:
        return sa.false()
    if user.site_id is not None:
        place = on.to_site_id == user.site_id
    elif user.region_id is not None:
        place = on.to_region_id == user.region_id
    else:
        place = sa.true()
    return sa.and_(place, on.requested_by_id != user.id)


def receivers(transfer) -> list:
    """The supervisors told of an incoming request: those posted at the destination site and
    the regional ones of its region; the national ones when there are none."""
    base = sa.select(User).where(User.role == Role.SUPERVISOR, User.active.is_(True))
    found = db.session.scalars(base.where(sa.or_(
        User.site_id == transfer.to_site_id,
        sa.and_(User.site_id.is_(None), User.region_id == transfer.to_region_id)))).all()
    return found or db.session.scalars(base.where(User.site_id.is_(None),
                                                  User.region_id.is_(None))).all()


def caseworkers_of(site) -> list:
    """Whom the receiving supervisor may assign the case to."""
    return db.session.scalars(sa.select(User).where(
        User.role == Role.CASEWORKER, User.site_id == site.id, User.active.is_(True))
        .order_by(User.full_name, User.id)).all()


def site(site_id):
    return db.session.get(Site, site_id) if site_id is not None else None

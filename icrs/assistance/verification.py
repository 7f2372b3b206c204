"""Spot-check verification of the ledger: a random sample (ICRS_SPOT_CHECK_RATE, at least one)
of recent handovers — standing lines, not reversals, never sampled before — each assigned to a
supervisor of the case's region who did not record it, round-robin; the supervisor records
whether the person confirms receipt and whether the goods or business are in use. A denied
receipt, or goods not in use or sold, is a discrepancy: a flag on the case and a count on the
supervisor's worklist. A confirmed check verifies a fully disbursed entitlement. Flush, never
commit."""
import datetime as dt
import secrets
import uuid

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from icrs.assistance import ledger
from icrs.assistance.models import (
    DISCREPANT_USE,
    Entitlement,
    Handover,
    ReceiptCheck,
    SpotCheck,
    UseCheck,
)
from icrs.assistance.states import COMMITTED
from icrs.audit.services import record
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.models import Site
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people.models import Person

DEFAULT_RATE = 0.10
DEFAULT_SINCE_DAYS = 30
MAX_NOTE = 1000


def rate() -> float:
    value = float(current_app.config.get("ICRS_SPOT_CHECK_RATE", DEFAULT_RATE))
    return min(max(value, 0.0), 1.0)


# --- who may ------------------------------------------------------------------------------------
def can_draw(user) -> bool:
    return user.can("assistance.verify")


def can_record(user, check) -> bool:
    """The assigned supervisor, while the case is still in their area and the check open."""
    return (user.can("assistance.verify") and check.assigned_to_id == user.id
            and check.person.can_supervise(user) and not check.person.is_erased)


# --- drawing ------------------------------------------------------------------------------------
def _pool(area, since):
    """Standing, never sampled handovers recorded since `since`, of live cases in `area` (a
    Scope, or None: everywhere)."""
    reversed_ids = sa.select(Handover.reverses_id).where(Handover.reverses_id.is_not(None))
    stmt = (sa.select(Handover).join(Person, Person.id == Handover.person_id)
            .join(Entitlement, Entitlement.id == Handover.entitlement_id)
            .where(Handover.reverses_id.is_(None), Handover.id.not_in(reversed_ids),
                   Handover.id.not_in(sa.select(SpotCheck.handover_id)),
                   Handover.recorded_at >= since, Entitlement.status.in_(COMMITTED),
                   Person.erased_at.is_(None), Person.merged_into_id.is_(None))
            .order_by(Handover.recorded_at, Handover.id))
    if area is not None:
        stmt = stmt.where(area.clause(Person))
    return db.session.scalars(stmt).all()


def sample_size(n: int, fraction: float) -> int:
    """round(n × rate), at least one when there is anything to check, at most n."""
    if n <= 0:
        return 0
    return min(n, max(1, round(n * fraction)))


def _supervisors(region_id):
    """Active supervisors of the region (a site of the region, or the region), else the
    national ones."""
    regional = db.session.scalars(sa.select(User).outerjoin(Site, Site.id == User.site_id).where(
        User.active.is_(True), User.role == Role.SUPERVISOR,
        sa.or_(User.region_id == region_id, Site.region_id == region_id))
        .order_by(User.id)).all()
    if regional:
        return regional
    return db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.role == Role.SUPERVISOR, User.region_id.is_(None),
        User.site_id.is_(None)).order_by(User.id)).all()


def _open_load(user_ids):
    rows = db.session.execute(sa.select(SpotCheck.assigned_to_id, sa.func.count())
                              .where(SpotCheck.assigned_to_id.in_(user_ids),
                                     SpotCheck.done_at.is_(None))
                              .group_by(SpotCheck.assigned_to_id)).all()
    return dict(rows)


class _RoundRobin:
    """Turns among each region's supervisors, the least loaded (open checks) first."""

    def __init__(self):
        self.by_region, self.load = {}, {}

    def pick(self, region_id, exclude_id):
        if region_id not in self.by_region:
            people = _supervisors(region_id)
            self.by_region[region_id] = people
            fresh = [u.id for u in people if u.id not in self.load]
            self.load.update(dict.fromkeys(fresh, 0) | _open_load(fresh))
        choices = [u for u in self.by_region[region_id] if u.id != exclude_id]
        if not choices:
            return None
        chosen = min(choices, key=lambda u: (self.load.get(u.id, 0), u.id))
        self.load[chosen.id] = self.load.get(chosen.id, 0) + 1
        return chosen


def draw_spot_checks(actor, since_days=DEFAULT_SINCE_DAYS, fraction=None, area=None,
                     rng=None) -> list:
    """Draw the sample: `actor` a supervisor (their area), or None from the command line
    (`area` then, None for everywhere). Returns the new SpotChecks."""
    if actor is not None:
        if not can_draw(actor):
            raise AccessDenied(_l("Only a supervisor can draw spot-checks."))
        area = actor.scope
    if since_days is None or not 1 <= since_days <= 366:
        raise DomainError(_l("Give a number of days from 1 to 366."), "since_days")
    pool = _pool(area, utcnow() - dt.timedelta(days=since_days))
    chosen = (rng or secrets.SystemRandom()).sample(
        pool, sample_size(len(pool), rate() if fraction is None else fraction))
    turns, made = _RoundRobin(), []
    for handover in sorted(chosen, key=lambda h: (h.recorded_at, h.id)):
        supervisor = turns.pick(handover.entitlement.person.region_id, handover.given_by_id)
        if supervisor is None:
            continue
        check = SpotCheck(id=uuid.uuid4(), handover_id=handover.id, person_id=handover.person_id,
                          assigned_to_id=supervisor.id, drawn_at=utcnow(),
                          drawn_by_id=getattr(actor, "id", None), discrepancy=False)
        db.session.add(check)
        made.append(check)
    db.session.flush()
    record("assistance.spot_checks_drawn", actor=actor, since_days=since_days,
           pool=len(pool), drawn=len(made),
           region=area.region_id if area is not None else None)
    return made


# --- recording ----------------------------------------------------------------------------------
def _outcome(receipt, goods_use):
    try:
        receipt = ReceiptCheck(receipt)
    except ValueError:
        raise DomainError(_l("Say whether the person confirms receipt."), "receipt") from None
    try:
        goods_use = UseCheck(goods_use)
    except ValueError:
        raise DomainError(_l("Say whether the goods or the business are in use."),
                          "goods_use") from None
    return receipt, goods_use


def is_discrepancy(receipt, goods_use) -> bool:
    return receipt == ReceiptCheck.DENIED or goods_use in DISCREPANT_USE


def record_spot_check(actor, check, receipt, goods_use, note=None, version=None) -> SpotCheck:
    """What the check found; once only."""
    if not can_record(actor, check):
        raise AccessDenied(_l("Only the supervisor this check is assigned to can record it."))
    if check.is_done or (version is not None and str(version) != str(check.version)):
        raise ConflictError(_l("This spot-check is already recorded."), "receipt")
    receipt, goods_use = _outcome(receipt, goods_use)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_NOTE), "note")
    check.receipt, check.goods_use = receipt, goods_use
    check.discrepancy = is_discrepancy(receipt, goods_use)
    check.done_at, check.done_by_id = utcnow(), actor.id
    check.note = note or None
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise ConflictError(_l("This spot-check is already recorded."), "receipt") from exc
    entitlement = check.handover.entitlement
    before = entitlement.status
    ledger.settle(entitlement)
    db.session.flush()
    record("assistance.spot_check_recorded", actor=actor, obj=check.person,
           spot_check=str(check.id), handover=str(check.handover_id), receipt=receipt.value,
           use=goods_use.value, discrepancy=check.discrepancy,
           entitlement_status=entitlement.status.value if entitlement.status != before else None)
    return check


# --- lists --------------------------------------------------------------------------------------
def waiting_for(user):
    """Open checks assigned to `user` on cases still in their area, oldest first."""
    return db.session.scalars(sa.select(SpotCheck).join(Person, Person.id == SpotCheck.person_id)
                              .where(SpotCheck.assigned_to_id == user.id,
                                     SpotCheck.done_at.is_(None), Person.erased_at.is_(None),
                                     user.scope.clause(Person))
                              .order_by(SpotCheck.drawn_at)).all()


def waiting_count(user) -> int:
    if not user.can("assistance.verify"):
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(SpotCheck)
                             .join(Person, Person.id == SpotCheck.person_id)
                             .where(SpotCheck.assigned_to_id == user.id,
                                    SpotCheck.done_at.is_(None), Person.erased_at.is_(None),
                                    user.scope.clause(Person)))


def _discrepancy_where(scope):
    return (SpotCheck.discrepancy.is_(True), Person.erased_at.is_(None),
            Person.merged_into_id.is_(None), scope.clause(Person))


def discrepancies(user, limit=50):
    """Discrepancies found on live cases of the user's area, newest first."""
    return db.session.scalars(sa.select(SpotCheck).join(Person, Person.id == SpotCheck.person_id)
                              .where(*_discrepancy_where(user.scope))
                              .order_by(SpotCheck.done_at.desc()).limit(limit)).all()


def discrepancy_count(scope) -> int:
    """Over a place scope (people or not: a count names no one)."""
    from dataclasses import replace
    if scope.nowhere:
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(SpotCheck)
                             .join(Person, Person.id == SpotCheck.person_id)
                             .where(*_discrepancy_where(replace(scope, people=True))))


def checks_of(person):
    """{handover id: SpotCheck} of a person's ledger (the case panel)."""
    return {c.handover_id: c for c in db.session.scalars(
        sa.select(SpotCheck).where(SpotCheck.person_id == person.id))}

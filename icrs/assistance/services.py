"""Entitlements: the assigned caseworker proposes an assistance for a person; a supervisor of
the person's area approves it through icrs.approvals (kind "assistance.entitlement"), never
the proposer. At approval the caps are checked (per person, per programme period, per
household) and so is every likely duplicate of the person at any site: the same assistance for
a case that may be the same person blocks approval until a supervisor says they are different
people (a DuplicateDecision). Flush, never commit."""
import uuid

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from icrs.approvals import kinds
from icrs.approvals import services as approvals
from icrs.assistance import catalogue
from icrs.assistance.models import AssistanceType, Entitlement
from icrs.assistance.states import COMMITTED, PENDING_OR_COMMITTED, check
from icrs.assistance.states import EntitlementStatus as S
from icrs.audit.services import record
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, ConflictError, DomainError, IllegalTransition
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.households.services import current_member_person_ids
from icrs.people.models import DuplicateDecision, Person
from icrs.people.services.duplicates import find_duplicate_candidates, identity_of
from icrs.plans.queries import current_plan

KIND = "assistance.entitlement"
MAX_TEXT = 2000


def _household_person_ids(person) -> set:
    """The people whose entitlements count against a per-household cap with `person`'s: the
    registered current members of the person's household (the person alone without one)."""
    return current_member_person_ids(person) or {person.id}


# --- who may ------------------------------------------------------------------------------------
def can_propose(user, person) -> bool:
    """The assigned caseworker of a live case."""
    return (user.can("assistance.propose") and person.can_edit(user)
            and not person.is_erased and not person.is_merged)


def can_approve(user, entitlement) -> bool:
    """A supervisor whose area covers the person (never the proposer: approvals' states)."""
    person = entitlement.person
    return not person.is_erased and person.can_supervise(user)


def can_resolve_duplicates(user, entitlement) -> bool:
    return (user.can("assistance.resolve") and can_approve(user, entitlement)
            and entitlement.status == S.REQUESTED)


# --- eligibility and amounts --------------------------------------------------------------------
def eligibility_problem(person, assistance_type, plan=None):
    """Why `person` may not receive `assistance_type` (a message), or None."""
    if not assistance_type.active:
        return _l("This assistance is retired.")
    if assistance_type.eligible_categories and \
            person.category.value not in assistance_type.eligible_categories:
        return _l("This assistance is not for the person's category.")
    if assistance_type.eligible_regions and \
            person.region_id not in assistance_type.eligible_regions:
        return _l("This assistance is not offered in the person's region.")
    if assistance_type.eligible_pathways and (
            plan is None or plan.pathway not in assistance_type.eligible_pathways):
        return _l("This assistance needs an agreed plan with one of its pathways.")
    return None


def eligible_types(person):
    plan = current_plan(person)
    types = db.session.scalars(sa.select(AssistanceType).where(AssistanceType.active.is_(True))
                               .order_by(AssistanceType.code)).all()
    return [t for t in types if eligibility_problem(person, t, plan) is None]


def _amount(assistance_type, amount):
    if amount is None or amount <= 0:
        raise DomainError(_l("Give a whole amount above zero."), "amount")
    if amount > assistance_type.unit_value:
        raise DomainError(_l("At most %(value)s %(currency)s for this assistance.",
                             value=_money(assistance_type.unit_value),
                             currency=assistance_type.currency), "amount")
    return amount


def _justification(text):
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Say why this person needs it."), "justification")
    if len(text) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), "justification")
    return text


def _move(entitlement, target):
    try:
        check(entitlement.status, target)
    except IllegalTransition as exc:
        raise ConflictError(exc.message) from exc
    entitlement.status = target


def _expect(entitlement, version):
    if version is not None and str(version) != str(entitlement.version):
        raise ConflictError(_l("Someone else changed this assistance in the meantime."))


# --- proposing ----------------------------------------------------------------------------------
def propose_entitlement(actor, person, assistance_type, amount, justification) -> Entitlement:
    """Propose and ask for approval at once (the justification is the request's reason)."""
    if not can_propose(actor, person):
        raise AccessDenied(_l("Only the assigned caseworker can propose assistance."))
    return propose_share(actor, person, assistance_type, amount, justification)


def propose_share(actor, person, assistance_type, amount, justification,
                  group_grant_id=None) -> Entitlement:
    """The proposal itself, for a caller that checked who may make it (propose_entitlement; a
    group grant, icrs.groups, proposes each member's share)."""
    if assistance_type is None:
        raise DomainError(_l("Choose an assistance from the list."), "assistance_type_id")
    plan = current_plan(person)
    problem = eligibility_problem(person, assistance_type, plan)
    if problem:
        raise DomainError(problem, "assistance_type_id")
    period = catalogue.period_on(today())
    if assistance_type.cap_per_period and period is None:
        raise DomainError(_l("No programme period covers today: an administrator must add "
                             "one before this assistance can be proposed."), "assistance_type_id")
    entitlement = Entitlement(id=uuid.uuid4(), person_id=person.id,
                              assistance_type_id=assistance_type.id,
                              plan_id=plan.id if plan else None,
                              period_id=period.id if period else None,
                              group_grant_id=group_grant_id,
                              amount=_amount(assistance_type, amount),
                              currency=assistance_type.currency, proposed_by_id=actor.id,
                              proposed_at=utcnow(), status=S.PROPOSED)
    entitlement.justification = _justification(justification)
    db.session.add(entitlement)
    db.session.flush()
    record("assistance.entitlement_proposed", actor=actor, obj=person,
           entitlement=str(entitlement.id), type=assistance_type.code, amount=amount,
           currency=entitlement.currency,
           **({"group_grant": str(group_grant_id)} if group_grant_id else {}))
    _ask(actor, entitlement)
    return entitlement


def resubmit_entitlement(actor, entitlement, amount, justification, version=None):
    """After a rejection (or a cancelled request): ask again, with the amount and the
    justification as they are now."""
    if not can_propose(actor, entitlement.person):
        raise AccessDenied(_l("Only the assigned caseworker can propose assistance."))
    _expect(entitlement, version)
    if entitlement.status not in (S.PROPOSED, S.REJECTED):
        raise ConflictError(_l("Only a rejected or withdrawn proposal can be sent again."))
    problem = eligibility_problem(entitlement.person, entitlement.assistance_type,
                                  current_plan(entitlement.person))
    if problem:
        raise DomainError(problem, "amount")
    entitlement.amount = _amount(entitlement.assistance_type, amount)
    entitlement.justification = _justification(justification)
    record("assistance.entitlement_resubmitted", actor=actor, obj=entitlement.person,
           entitlement=str(entitlement.id), amount=entitlement.amount)
    _ask(actor, entitlement)
    return entitlement


def _ask(actor, entitlement):
    _move(entitlement, S.REQUESTED)
    approvals.request_approval(actor, KIND, entitlement, entitlement.person_id,
                               entitlement.justification)
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise ConflictError(_l("Someone else changed this assistance in the meantime.")) from exc


def pending_request(entitlement):
    return approvals.open_request(KIND, entitlement.id)


# --- approving: caps and duplicates -------------------------------------------------------------
def committed_amount(type_id, person_ids, period_id=None, exclude_id=None) -> int:
    """What is approved (or disbursed) of one type for these people, in a period if given."""
    stmt = sa.select(sa.func.coalesce(sa.func.sum(Entitlement.amount), 0)).where(
        Entitlement.assistance_type_id == type_id, Entitlement.person_id.in_(person_ids),
        Entitlement.status.in_(COMMITTED))
    if period_id is not None:
        stmt = stmt.where(Entitlement.period_id == period_id)
    if exclude_id is not None:
        stmt = stmt.where(Entitlement.id != exclude_id)
    return int(db.session.scalar(stmt))


def check_caps(entitlement):
    """Raise DomainError when approving `entitlement` would pass one of its type's caps."""
    kind = entitlement.assistance_type
    person = entitlement.person
    checks = (
        (kind.cap_per_person, {person.id}, None,
         _l("The cap per person (%(cap)s %(currency)s) would be passed: %(used)s already "
            "approved.")),
        (kind.cap_per_period if entitlement.period_id else None, {person.id},
         entitlement.period_id,
         _l("The cap per programme period (%(cap)s %(currency)s) would be passed: %(used)s "
            "already approved in this period.")),
        (kind.cap_per_household, _household_person_ids(person), None,
         _l("The cap per household (%(cap)s %(currency)s) would be passed: %(used)s already "
            "approved for the household.")),
    )
    for cap, ids, period_id, message in checks:
        if cap is None:
            continue
        used = committed_amount(kind.id, ids, period_id, exclude_id=entitlement.id)
        if used + entitlement.amount > cap:
            raise DomainError(message % {"cap": _money(cap), "currency": kind.currency,
                                         "used": _money(used)})


def _money(value) -> str:
    return format_decimal(value)


def blocking_duplicates(entitlement) -> list:
    """Likely duplicates of the person, at any site, holding the same assistance (waiting,
    approved or disbursed) and not yet declared someone else: the people, best match first."""
    person = entitlement.person
    candidates = [c.person for c in find_duplicate_candidates(identity_of(person),
                                                              exclude_id=person.id)]
    if not candidates:
        return []
    ids = [c.id for c in candidates]
    resolved = set(db.session.scalars(sa.select(DuplicateDecision.candidate_id).where(
        DuplicateDecision.person_id == person.id, DuplicateDecision.candidate_id.in_(ids))))
    resolved |= set(db.session.scalars(sa.select(DuplicateDecision.person_id).where(
        DuplicateDecision.candidate_id == person.id, DuplicateDecision.person_id.in_(ids))))
    holding = set(db.session.scalars(sa.select(Entitlement.person_id).where(
        Entitlement.person_id.in_([i for i in ids if i not in resolved]),
        Entitlement.assistance_type_id == entitlement.assistance_type_id,
        Entitlement.status.in_(PENDING_OR_COMMITTED))))
    return [c for c in candidates if c.id in holding]


def _lock_person(person_id):
    """Approvals for one person queue here, so two caps checks cannot both pass."""
    db.session.execute(sa.select(Person.id).where(Person.id == person_id).with_for_update())


def _on_approved(request, entitlement, actor):
    _lock_person(entitlement.person_id)
    check_caps(entitlement)
    duplicates = blocking_duplicates(entitlement)
    if duplicates:
        raise DomainError(_l(
            "A case that may be the same person (%(n)s found, at this or another site) already "
            "has this assistance. Open the case and say whether they are different people "
            "before approving.", n=len(duplicates)))
    _move(entitlement, S.APPROVED)
    entitlement.approved_by_id, entitlement.approved_at = actor.id, utcnow()
    db.session.flush()
    record("assistance.entitlement_approved", actor=actor, obj=entitlement.person,
           entitlement=str(entitlement.id), request=str(request.id), amount=entitlement.amount)


def _on_closed(request, entitlement, actor):
    """Rejected: the caseworker may resubmit; cancelled by its requester: back to proposed."""
    details = {"entitlement": str(entitlement.id), "request": str(request.id)}
    if request.status.value == "rejected":
        _move(entitlement, S.REJECTED)
        record("assistance.entitlement_rejected", actor=actor, obj=entitlement.person, **details)
    else:
        _move(entitlement, S.PROPOSED)
        record("assistance.entitlement_withdrawn", actor=actor, obj=entitlement.person,
               **details)
    db.session.flush()


def resolve_duplicates(actor, entitlement, shown: int):
    """The supervisor says the blocking matches are other people; `shown` is how many the page
    listed (if the list changed since, nothing is recorded)."""
    if not can_resolve_duplicates(actor, entitlement):
        raise AccessDenied(_l("Only a supervisor of the case can resolve this."))
    duplicates = blocking_duplicates(entitlement)
    if not duplicates or len(duplicates) != shown:
        raise ConflictError(_l("The possible duplicates changed since the page was shown. "
                               "Look at them again."))
    for other in duplicates:
        db.session.add(DuplicateDecision(person_id=entitlement.person_id, candidate_id=other.id,
                                         decided_by_id=actor.id, decided_at=utcnow()))
    db.session.flush()
    record("assistance.duplicates_resolved", actor=actor, obj=entitlement.person,
           entitlement=str(entitlement.id), candidates=[str(p.id) for p in duplicates])


# --- the approval kind --------------------------------------------------------------------------
def _load(subject_id):
    try:
        return db.session.get(Entitlement, uuid.UUID(str(subject_id)))
    except ValueError:
        return None


def _decidable_by(user):
    from icrs.approvals.models import ApprovalRequest

    if user.role != Role.SUPERVISOR:
        return sa.false()
    return ApprovalRequest.person_id.in_(sa.select(Person.id).where(user.scope.clause(Person)))


def _approvers(entitlement):
    person = entitlement.person
    return db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.role == Role.SUPERVISOR, User.site_id.is_(None),
        sa.or_(User.region_id == person.region_id, User.region_id.is_(None)))).all()


def _subject_label(entitlement):
    kind = entitlement.assistance_type
    return f"{entitlement.person.case_number} · {kind.name} · {_money(entitlement.amount)} " \
           f"{entitlement.currency}"


def _subject_url(entitlement, user):
    person = entitlement.person
    if person.is_erased or not person.can_view(user):
        return None
    return url_for("people.detail", person_id=person.id, _anchor="assistance-h")


KINDS = kinds.register(kinds.ApprovalKind(
    code=KIND, label=_l("Reintegration assistance"), subject_type="entitlement", load=_load,
    can_request=lambda user, e: can_propose(user, e.person),
    can_approve=can_approve, decidable_by=_decidable_by, on_approved=_on_approved,
    on_closed=_on_closed, subject_label=_subject_label, subject_url=_subject_url,
    approvers=_approvers))

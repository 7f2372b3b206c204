"""Moving a case through the reintegration stages: gather facts, check, record."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.signals import dict_from_signal
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.people import signals
from icrs.people.kinds import exit_reasons_for
from icrs.people.models import ConsentPurpose, FollowUp, StageChange
from icrs.people.services import has_consent
from icrs.people.states import (
    ACTIVE,
    CASEWORKER,
    ORDER,
    SUPERVISOR,
    SYSTEM,
    Facts,
    IllegalTransition,
    Stage,
    allowed_targets,
    check,
    guard_missing,
    needs_approval,
    resolve_target,
)


def gather_facts(person, reason=None) -> Facts:
    """People's own facts, plus those the domains above answer (signals.stage_facts; plans:
    has_pathway, an agreed plan)."""
    answered = dict_from_signal(signals.stage_facts.send(person))
    # open: not done and due by today. The follow-ups scheduled months ahead (6 and 12 months
    # after a completed referral) are the monitoring that goes on after reintegration.
    due = sa.and_(FollowUp.done_at.is_(None), FollowUp.due_date <= today())
    followups = db.session.execute(
        sa.select(sa.func.count(FollowUp.done_at), sa.func.count(sa.case((due, 1))))
        .where(FollowUp.person_id == person.id)).one()
    return Facts(
        consent_given=has_consent(person, ConsentPurpose.REGISTRATION)
        and has_consent(person, ConsentPurpose.STORAGE),
        followups_done=followups[0], followups_open=followups[1], reason=reason,
        exit_reasons=exit_reasons_for(person.beneficiary_kind, lookups.codes("exit_reason")),
        resume_to=person.stage_before, **answered)


def role_of(actor):
    if actor is None:
        return SYSTEM
    return {Role.CASEWORKER: "caseworker", Role.SUPERVISOR: SUPERVISOR}.get(actor.role, "other")


def available_moves(person, actor):
    """The stage form's targets: reintegration and reopening go through an approval."""
    return [t for t in allowed_targets(person.stage, role_of(actor)) if not needs_approval(t)]


def change_stage(actor, person, target, reason=None, approval=None):
    """Check the guard, move, record the StageChange and the audit entry. The moves that need
    a supervisor's approval are made only by that approval (`approval`: the ApprovalRequest,
    icrs/people/stage_approvals.py)."""
    _check_actor(actor, person)
    if needs_approval(target, reason) and approval is None:
        raise DomainError(_l("This needs a supervisor's approval: the caseworker asks for it in "
                             "the case's approvals."), "target")
    role = role_of(actor)
    facts = gather_facts(person, reason)
    try:
        missing = check(person.stage, target, role, facts)
    except IllegalTransition as exc:
        raise DomainError(exc.message, "target") from exc
    if missing:
        raise DomainError(_l("Not yet possible. Missing: %(what)s.",
                             what=", ".join(str(m) for m in missing)), "target")
    new_stage = resolve_target(person.stage, target, facts)
    _apply(actor, person, new_stage, reason, action=_action_name(target),
           approval=getattr(approval, "id", None))


def _check_actor(actor, person):
    if actor is None:
        return
    if actor.role == Role.CASEWORKER and not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can change the stage."))
    if actor.role == Role.SUPERVISOR and not person.can_supervise(actor):
        raise AccessDenied(_l("This case is outside your region."))
    if actor.role not in (Role.CASEWORKER, Role.SUPERVISOR):
        raise AccessDenied(_l("Your role cannot change the stage of a case."))


def _action_name(target):
    return {"reopen": "people.reopened", "resume": "people.resumed"}.get(
        target if isinstance(target, str) else "", "people.stage_changed")


def _apply(actor, person, new_stage, reason, action="people.stage_changed", automatic=False,
           approval=None):
    old = person.stage
    # stage_before is the active stage to return to, kept while the case stays closed (also
    # suspended -> exited: the reopening returns there); the CHECK `stage_before_iff_closed`.
    if new_stage in ACTIVE:
        person.stage_before = None
    elif old in ACTIVE:
        person.stage_before = old
    person.stage = new_stage
    person.stage_changed_at = utcnow()
    db.session.add(StageChange(person_id=person.id, from_stage=old, to_stage=new_stage,
                               actor_id=getattr(actor, "id", None), reason=reason))
    record(action, actor=actor, obj=person, from_stage=old.value, to_stage=new_stage.value,
           reason=reason, **({"automatic": True} if automatic else {}),
           **({"approval": str(approval)} if approval else {}))
    db.session.flush()
    signals.stage_changed.send(person, old=old, new=new_stage, actor=actor)


def advance_automatically(person, target):
    """Called by the referrals domain: planned→referred, referred→in_service (system moves)."""
    try:
        if check(person.stage, target, SYSTEM, gather_facts(person)) == []:
            _apply(None, person, target, None, action="people.stage_changed")
            return True
    except IllegalTransition:
        return False
    return False


# Caseworker moves that need no decision of their own: taken as soon as their guard holds.
AUTOMATIC = ((Stage.REGISTERED, Stage.PROFILED), (Stage.PROFILED, Stage.PLANNED))


def advance_when_ready(actor, person):
    """After a consent, a profile submission or a counselling session: move registered ->
    profiled -> planned as far as the guards allow, in the name of the caseworker whose action
    satisfied them (StageChange and audit entry as for a manual move)."""
    if actor is None or role_of(actor) != CASEWORKER or not person.can_edit(actor):
        return
    db.session.flush()
    for current, target in AUTOMATIC:
        if person.stage != current or check(current, target, CASEWORKER, gather_facts(person)):
            continue
        _apply(actor, person, target, None, automatic=True)


def stage_hint(person):
    """The stage box: the next stage, what it still needs and how it is reached."""
    if person.stage not in ORDER[:-1]:
        return None
    nxt = ORDER[ORDER.index(person.stage) + 1]
    if nxt in (Stage.REFERRED, Stage.IN_SERVICE):
        return {"next": nxt, "missing": [], "how": _FOLLOWS_REFERRALS[nxt], "by_referrals": True}
    missing = guard_missing(person.stage, nxt, gather_facts(person))
    if (person.stage, nxt) in AUTOMATIC:
        how = _l("Set automatically as soon as nothing is missing.")
    elif nxt == Stage.REINTEGRATED:
        how = _l("The caseworker asks for it; a supervisor approves or rejects it.")
    else:
        how = None
    return {"next": nxt, "missing": missing, "how": how, "by_referrals": False}


_FOLLOWS_REFERRALS = {
    Stage.REFERRED: _l("Follows the referrals: set automatically when a referral is sent."),
    Stage.IN_SERVICE: _l("Follows the referrals: set automatically when a provider accepts a "
                         "referral."),
}


"""The reintegration stage machine (DESIGN §4). Pure Python: the callers gather the facts.

`check(from, to, role, facts)` returns the list of what is missing (empty = allowed) or raises
IllegalTransition when the move does not exist or the role may never make it.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum, with_labels
from icrs.core.errors import IllegalTransition  # noqa: F401  (raised here, imported from here)


class Stage(LabelledEnum):
    REGISTERED = "registered"
    PROFILED = "profiled"
    PLANNED = "planned"
    REFERRED = "referred"
    IN_SERVICE = "in_service"
    FOLLOW_UP = "follow_up"
    REINTEGRATED = "reintegrated"
    SUSPENDED = "suspended"
    EXITED = "exited"


with_labels(Stage, {
    "registered": _l("Registered"), "profiled": _l("Profiled"), "planned": _l("Planned"),
    "referred": _l("Referred"), "in_service": _l("In service"), "follow_up": _l("Follow-up"),
    "reintegrated": _l("Reintegrated"), "suspended": _l("Suspended"), "exited": _l("Exited"),
})


class SuspendReason(LabelledEnum):
    UNREACHABLE = "unreachable"
    RELOCATED = "relocated"
    OTHER = "other"


with_labels(SuspendReason, {"unreachable": _l("Unreachable"), "relocated": _l("Relocated"),
                            "other": _l("Other reason")})


ACTIVE = (Stage.REGISTERED, Stage.PROFILED, Stage.PLANNED, Stage.REFERRED, Stage.IN_SERVICE,
          Stage.FOLLOW_UP)
CLOSED = (Stage.REINTEGRATED, Stage.SUSPENDED, Stage.EXITED)  # these keep `stage_before`
ORDER = list(ACTIVE) + [Stage.REINTEGRATED]
CASEWORKER, SUPERVISOR, SYSTEM = "caseworker", "supervisor", "system"


@dataclass(frozen=True)
class Facts:
    """What the guards look at, gathered by the service from the database."""

    consent_given: bool = False
    profile_complete: bool = False
    has_pathway: bool = False
    referrals_sent: int = 0
    referrals_accepted: int = 0
    referrals_open: int = 0
    followups_done: int = 0
    followups_open: int = 0
    reason: str | None = None
    # the exit reasons a new exit may give: the active entries of the programme's list
    # (icrs.lookups "exit_reason"), gathered by the service
    exit_reasons: frozenset = frozenset()
    resume_to: "Stage | None" = None  # for suspended → previous stage, and reopening


def _need(condition, message):
    return [] if condition else [message]


def _to_profiled(f):
    return (_need(f.consent_given, _l("consent to registration and storage"))
            + _need(f.profile_complete, _l("a complete socioeconomic profile")))


def _to_planned(f):
    return _need(f.has_pathway, _l("an agreed reintegration plan"))


def _to_follow_up(f):
    return (_need(f.referrals_sent > 0, _l("at least one referral"))
            + _need(f.referrals_open == 0, _l("all referrals finished")))


def _to_reintegrated(f):
    return (_need(f.followups_done > 0, _l("a follow-up visit done"))
            + _need(f.followups_open == 0, _l("no follow-up still open"))
            + _need(f.referrals_open == 0, _l("all referrals finished")))


def _suspend(f):
    return _need(f.reason in {r.value for r in SuspendReason}, _l("a reason for the suspension"))


def _exit(f):
    return _need(f.reason in f.exit_reasons, _l("a reason for the exit"))


def _nothing(f):
    return []


# (from, to) -> (roles allowed, guard). Referral-driven moves belong to the system only.
RULES = {
    (Stage.REGISTERED, Stage.PROFILED): ({CASEWORKER}, _to_profiled),
    (Stage.PROFILED, Stage.PLANNED): ({CASEWORKER}, _to_planned),
    (Stage.PLANNED, Stage.REFERRED): ({SYSTEM}, _nothing),
    (Stage.REFERRED, Stage.IN_SERVICE): ({SYSTEM}, _nothing),
    (Stage.IN_SERVICE, Stage.FOLLOW_UP): ({CASEWORKER}, _to_follow_up),
    (Stage.REFERRED, Stage.FOLLOW_UP): ({CASEWORKER}, _to_follow_up),
    (Stage.REFERRED, Stage.PLANNED): ({CASEWORKER}, _to_follow_up),  # every referral ended: re-plan
    (Stage.FOLLOW_UP, Stage.REINTEGRATED): ({SUPERVISOR}, _to_reintegrated),
}
for _stage in ACTIVE:
    RULES[(_stage, Stage.SUSPENDED)] = ({CASEWORKER, SUPERVISOR}, _suspend)
    RULES[(_stage, Stage.EXITED)] = ({CASEWORKER, SUPERVISOR}, _exit)
RULES[(Stage.SUSPENDED, Stage.EXITED)] = ({CASEWORKER, SUPERVISOR}, _exit)
RESUME = (Stage.SUSPENDED, None)  # back to the stage held before the suspension
REOPEN = {Stage.REINTEGRATED, Stage.EXITED}  # a supervisor reopens to the previous stage
INELIGIBLE = "found_ineligible"  # the exit reason (lookup "exit_reason") a supervisor approves
# Moves made only when a supervisor approves a caseworker's request (icrs/people/
# stage_approvals.py), never by the stage form: (target, the reason that makes it one, or None)
BY_APPROVAL = ((Stage.REINTEGRATED, None), (Stage.EXITED, INELIGIBLE), ("reopen", None))


def needs_approval(target, reason=None) -> bool:
    """Is this move an approval's to make (the stage form never offers it)?"""
    return any(target == t and (r is None or reason == r) for t, r in BY_APPROVAL)


def allowed_targets(current: Stage, role: str) -> list[Stage]:
    """Stages this role may try to move to from `current` (guards not applied)."""
    targets = [to for (frm, to), (roles, _) in RULES.items() if frm == current and role in roles]
    if current == Stage.SUSPENDED and role in (CASEWORKER, SUPERVISOR):
        targets.append("resume")
    if current in REOPEN and role == SUPERVISOR:
        targets.append("reopen")
    return targets


def check(current: Stage, target, role: str, facts: Facts) -> list:
    """Missing conditions for the move (empty list = allowed); IllegalTransition if impossible."""
    if target in ("resume", "reopen"):
        return _check_return(current, target, role, facts)
    rule = RULES.get((current, target))
    if rule is None:
        raise IllegalTransition(_illegal_message(current, target))
    roles, guard = rule
    if role not in roles:
        if roles == {SYSTEM}:
            raise IllegalTransition(_l("“%(b)s” is set automatically by the referrals.",
                                       b=target.label))
        raise IllegalTransition(_l("Your role cannot move a case to “%(b)s”.", b=target.label))
    return guard(facts)


def guard_missing(current: Stage, target: Stage, facts: Facts) -> list:
    """What the move still needs, whoever may make it (for the stage box)."""
    rule = RULES.get((current, target))
    if rule is None:
        raise IllegalTransition(_illegal_message(current, target))
    return rule[1](facts)


def _illegal_message(current, target):
    """Say which stages come first when the target lies further along the path."""
    if current in ORDER and target in ORDER and ORDER.index(target) > ORDER.index(current) + 1:
        steps = ", ".join(str(s.label) for s in ORDER[ORDER.index(current) + 1:
                                                        ORDER.index(target)])
        return _l("A case cannot move from “%(a)s” to “%(b)s”. It must first reach: %(steps)s.",
                  a=current.label, b=target.label, steps=steps)
    return _l("A case cannot move from “%(a)s” to “%(b)s”.", a=current.label, b=target.label)


def _check_return(current, target, role, facts):
    if target == "resume" and current != Stage.SUSPENDED:
        raise IllegalTransition(_l("Only a suspended case can be resumed."))
    if target == "reopen" and current not in REOPEN:
        raise IllegalTransition(_l("Only a closed case can be reopened."))
    if target == "reopen" and role != SUPERVISOR:
        raise IllegalTransition(_l("Only a supervisor can reopen a case."))
    if role not in (CASEWORKER, SUPERVISOR):
        raise IllegalTransition(_l("Your role cannot change the stage of a case."))
    return _need(facts.resume_to in ACTIVE, _l("the stage to return to"))


def resolve_target(current: Stage, target, facts: Facts) -> Stage:
    return facts.resume_to if target in ("resume", "reopen") else target

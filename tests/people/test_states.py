"""The stage machine over every (from, to) pair and every role, with and without the facts."""
import itertools

import pytest

from icrs.people.states import (
    ACTIVE,
    RULES,
    SUPERVISOR,
    SYSTEM,
    Facts,
    IllegalTransition,
    Stage,
    allowed_targets,
    check,
    resolve_target,
)

ROLES = ("caseworker", "supervisor", "system", "provider", "admin")
EVERYTHING = Facts(consent_given=True, profile_complete=True, has_pathway=True,
                   referrals_sent=1, referrals_accepted=1, referrals_open=0, followups_done=1,
                   followups_open=0, reason=None, resume_to=Stage.PLANNED,
                   exit_reasons=frozenset({"dropped_out", "deceased"}))

EXPECTED_EDGES = {
    ("registered", "profiled"), ("profiled", "planned"), ("planned", "referred"),
    ("referred", "in_service"), ("in_service", "follow_up"), ("referred", "follow_up"),
    ("referred", "planned"), ("follow_up", "reintegrated"), ("suspended", "exited"),
} | {(s.value, "suspended") for s in ACTIVE} | {(s.value, "exited") for s in ACTIVE}


def _facts_for(target):
    reason = {"suspended": "unreachable", "exited": "dropped_out"}.get(target.value)
    return Facts(**{**EVERYTHING.__dict__, "reason": reason})


@pytest.mark.parametrize("frm,to", list(itertools.product(Stage, Stage)))
def test_every_pair(frm, to):
    edge = (frm.value, to.value)
    if edge not in EXPECTED_EDGES:
        for role in ROLES:
            with pytest.raises(IllegalTransition):
                check(frm, to, role, _facts_for(to))
        return
    roles, _ = RULES[(frm, to)]
    for role in ROLES:
        if role in roles:
            assert check(frm, to, role, _facts_for(to)) == [], (edge, role)
        else:
            with pytest.raises(IllegalTransition):
                check(frm, to, role, _facts_for(to))


def test_edges_table_matches_rules():
    assert {(a.value, b.value) for a, b in RULES} == EXPECTED_EDGES


def test_registered_to_referred_is_illegal_with_message():
    with pytest.raises(IllegalTransition) as exc:
        check(Stage.REGISTERED, Stage.REFERRED, "caseworker", EVERYTHING)
    assert "Registered" in str(exc.value) and "Referred" in str(exc.value)
    assert "Profiled, Planned" in str(exc.value)


@pytest.mark.parametrize("missing,field", [
    ({"consent_given": False}, "consent"), ({"profile_complete": False}, "profile")])
def test_profiled_guard_says_what_is_missing(missing, field):
    facts = Facts(**{**EVERYTHING.__dict__, **missing})
    problems = [str(p) for p in check(Stage.REGISTERED, Stage.PROFILED, "caseworker", facts)]
    assert len(problems) == 1 and field in problems[0]


def test_planned_needs_pathway():
    assert check(Stage.PROFILED, Stage.PLANNED, "caseworker", Facts()) != []


def test_referral_driven_moves_are_system_only():
    for frm, to in [(Stage.PLANNED, Stage.REFERRED), (Stage.REFERRED, Stage.IN_SERVICE)]:
        with pytest.raises(IllegalTransition, match="automatically"):
            check(frm, to, "caseworker", EVERYTHING)
        assert check(frm, to, SYSTEM, EVERYTHING) == []


def test_follow_up_needs_all_referrals_finished():
    facts = Facts(**{**EVERYTHING.__dict__, "referrals_open": 2})
    assert check(Stage.IN_SERVICE, Stage.FOLLOW_UP, "caseworker", facts) != []


def test_reintegration_needs_supervisor_and_follow_up_done():
    with pytest.raises(IllegalTransition):
        check(Stage.FOLLOW_UP, Stage.REINTEGRATED, "caseworker", EVERYTHING)
    facts = Facts(**{**EVERYTHING.__dict__, "followups_done": 0})
    assert check(Stage.FOLLOW_UP, Stage.REINTEGRATED, SUPERVISOR, facts) != []
    assert check(Stage.FOLLOW_UP, Stage.REINTEGRATED, SUPERVISOR, EVERYTHING) == []


@pytest.mark.parametrize("target,bad_reason", [(Stage.SUSPENDED, None), (Stage.EXITED, "bored"),
                                               (Stage.EXITED, "unreachable")])
def test_reason_required_and_coded(target, bad_reason):
    facts = Facts(**{**EVERYTHING.__dict__, "reason": bad_reason})
    assert check(Stage.PLANNED, target, "caseworker", facts) != []


def test_resume_and_reopen():
    assert check(Stage.SUSPENDED, "resume", "caseworker", EVERYTHING) == []
    with pytest.raises(IllegalTransition):
        check(Stage.PLANNED, "resume", "caseworker", EVERYTHING)
    with pytest.raises(IllegalTransition):
        check(Stage.EXITED, "reopen", "caseworker", EVERYTHING)
    assert check(Stage.EXITED, "reopen", SUPERVISOR, EVERYTHING) == []
    assert check(Stage.REINTEGRATED, "reopen", SUPERVISOR, Facts()) != []  # nowhere to return
    assert resolve_target(Stage.EXITED, "reopen", EVERYTHING) == Stage.PLANNED


def test_allowed_targets_per_role():
    assert "reopen" in allowed_targets(Stage.EXITED, SUPERVISOR)
    assert "reopen" not in allowed_targets(Stage.EXITED, "caseworker")
    assert Stage.REFERRED not in allowed_targets(Stage.PLANNED, "caseworker")
    assert allowed_targets(Stage.REINTEGRATED, "caseworker") == []

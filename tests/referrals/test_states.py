"""The referral lifecycle over every (from, to, role) triple (DESIGN §4). No database."""
import itertools
from datetime import datetime, timedelta

import pytest

from icrs.referrals import states
from icrs.referrals.states import (
    CASEWORKER,
    PROVIDER,
    IllegalTransition,
    Outcome,
    Priority,
    ReferralStatus,
)

S = ReferralStatus
# The lifecycle as written in DESIGN §4, independent of states.TRANSITIONS.
EXPECTED = {
    (None, S.DRAFT): CASEWORKER,
    (S.DRAFT, S.SENT): CASEWORKER, (S.DRAFT, S.WITHDRAWN): CASEWORKER,
    (S.SENT, S.ACCEPTED): PROVIDER, (S.SENT, S.DECLINED): PROVIDER,
    (S.SENT, S.WITHDRAWN): CASEWORKER,
    (S.ACCEPTED, S.IN_SERVICE): PROVIDER, (S.ACCEPTED, S.ON_HOLD): PROVIDER,
    (S.ACCEPTED, S.COMPLETED): PROVIDER, (S.ACCEPTED, S.NOT_COMPLETED): PROVIDER,
    (S.ACCEPTED, S.WITHDRAWN): CASEWORKER,
    (S.IN_SERVICE, S.ON_HOLD): PROVIDER, (S.ON_HOLD, S.IN_SERVICE): PROVIDER,
    (S.IN_SERVICE, S.COMPLETED): PROVIDER, (S.IN_SERVICE, S.NOT_COMPLETED): PROVIDER,
    (S.IN_SERVICE, S.WITHDRAWN): CASEWORKER,
    (S.ON_HOLD, S.COMPLETED): PROVIDER, (S.ON_HOLD, S.NOT_COMPLETED): PROVIDER,
    (S.ON_HOLD, S.WITHDRAWN): CASEWORKER,
}
ROLES = [CASEWORKER, PROVIDER, "supervisor", "admin", "system"]
TRIPLES = list(itertools.product([None, *S], list(S), ROLES))


@pytest.mark.parametrize("current,target,role", TRIPLES,
                         ids=[f"{a}-{b}-{r}" for a, b, r in TRIPLES])
def test_every_triple(current, target, role):
    if EXPECTED.get((current, target)) == role:
        states.check(current, target, role)
    else:
        with pytest.raises(IllegalTransition):
            states.check(current, target, role)


def test_finished_statuses_are_terminal():
    for status in states.FINISHED:
        for role in ROLES:
            assert states.allowed_targets(status, role) == []


def test_allowed_targets_per_role():
    assert states.allowed_targets(S.SENT, PROVIDER) == [S.ACCEPTED, S.DECLINED]
    assert states.allowed_targets(S.SENT, CASEWORKER) == [S.WITHDRAWN]
    assert states.allowed_targets(S.ON_HOLD, PROVIDER) == [S.IN_SERVICE, S.COMPLETED,
                                                           S.NOT_COMPLETED]


def test_fhir_codes_round_trip():
    assert {s.fhir for s in S} == {"draft", "requested", "accepted", "rejected", "in-progress",
                                   "on-hold", "completed", "failed", "cancelled"}
    for status in S:
        assert S.from_fhir(status.fhir) is status
    with pytest.raises(ValueError):
        S.from_fhir("ready")


@pytest.mark.parametrize("priority,delta", [(Priority.EMERGENCY, timedelta(hours=24)),
                                            (Priority.URGENT, timedelta(hours=72)),
                                            (Priority.NORMAL, timedelta(days=14))])
def test_accept_deadline_per_priority(priority, delta):
    sent = datetime(2025, 3, 1, 9, 30)
    assert states.accept_by(sent, priority) == sent + delta
    assert states.default_complete_by(sent, priority) > sent.date()


def test_outcome_must_fit_the_ending():
    states.check_outcome(S.COMPLETED, Outcome.SERVED)
    states.check_outcome(S.NOT_COMPLETED, Outcome.NO_SHOW)
    with pytest.raises(IllegalTransition):
        states.check_outcome(S.COMPLETED, Outcome.NO_SHOW)
    with pytest.raises(IllegalTransition):
        states.check_outcome(S.NOT_COMPLETED, None)
    with pytest.raises(IllegalTransition):
        states.check_outcome(S.ACCEPTED, Outcome.SERVED)


def test_acknowledgement_only_for_answers():
    assert states.can_acknowledge(S.COMPLETED, False)
    assert states.can_acknowledge(S.DECLINED, False)
    assert not states.can_acknowledge(S.COMPLETED, True)
    assert not states.can_acknowledge(S.WITHDRAWN, False)
    assert not states.can_acknowledge(S.IN_SERVICE, False)

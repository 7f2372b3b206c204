"""The entitlement lifecycle over every (from, to) pair: the allowed ones pass, every other one
raises IllegalTransition; the ledger's total gives the state."""
import itertools

import pytest

from icrs.assistance.states import (
    COMMITTED,
    DISBURSABLE,
    TRANSITIONS,
    EntitlementStatus,
    IllegalTransition,
    after_ledger,
    check,
)

S = EntitlementStatus
ALLOWED = {
    (S.PROPOSED, S.REQUESTED), (S.REQUESTED, S.APPROVED), (S.REQUESTED, S.REJECTED),
    (S.REQUESTED, S.PROPOSED), (S.REJECTED, S.REQUESTED),
    (S.APPROVED, S.PARTLY_DISBURSED), (S.APPROVED, S.DISBURSED),
    (S.PARTLY_DISBURSED, S.DISBURSED), (S.PARTLY_DISBURSED, S.APPROVED),
    (S.DISBURSED, S.PARTLY_DISBURSED), (S.DISBURSED, S.APPROVED), (S.DISBURSED, S.VERIFIED),
    (S.VERIFIED, S.PARTLY_DISBURSED), (S.VERIFIED, S.APPROVED),
    (S.PROPOSED, S.CANCELLED), (S.REQUESTED, S.CANCELLED), (S.REJECTED, S.CANCELLED),
}


def test_the_table_is_the_documented_one():
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize("current,target", list(itertools.product(S, S)))
def test_every_pair(current, target):
    if (current, target) in ALLOWED:
        check(current, target)
    else:
        with pytest.raises(IllegalTransition):
            check(current, target)


def test_cancelled_and_verified_hand_nothing_over():
    assert DISBURSABLE == {S.APPROVED, S.PARTLY_DISBURSED}
    assert COMMITTED == {S.APPROVED, S.PARTLY_DISBURSED, S.DISBURSED, S.VERIFIED}
    assert not any(current == S.CANCELLED for current, _ in TRANSITIONS)


@pytest.mark.parametrize("disbursed,confirmed,expected", [
    (0, False, S.APPROVED), (0, True, S.APPROVED), (40, False, S.PARTLY_DISBURSED),
    (40, True, S.PARTLY_DISBURSED), (100, False, S.DISBURSED), (100, True, S.VERIFIED),
])
def test_the_ledger_total_gives_the_state(disbursed, confirmed, expected):
    assert after_ledger(S.APPROVED, disbursed, 100, confirmed) == expected

"""The approval lifecycle over every pair of statuses, for the requester and for anyone else."""
import itertools

import pytest

from icrs.approvals.states import TRANSITIONS, ApprovalStatus, IllegalTransition, check

S = ApprovalStatus
ALLOWED = {  # (from, to, is_requester)
    (S.REQUESTED, S.APPROVED, False), (S.REQUESTED, S.REJECTED, False),
    (S.REQUESTED, S.CANCELLED, True),
}


@pytest.mark.parametrize("current,target,is_requester",
                         list(itertools.product(S, S, (True, False))))
def test_every_pair(current, target, is_requester):
    if (current, target, is_requester) in ALLOWED:
        check(current, target, is_requester)
    else:
        with pytest.raises(IllegalTransition):
            check(current, target, is_requester)


def test_the_requester_never_decides():
    for (current, target), who in TRANSITIONS.items():
        if who == "approver":
            with pytest.raises(IllegalTransition, match="another person"):
                check(current, target, is_requester=True)


def test_final_statuses_say_closed():
    for final in (S.APPROVED, S.REJECTED, S.CANCELLED):
        with pytest.raises(IllegalTransition, match="already closed"):
            check(final, S.APPROVED, is_requester=False)

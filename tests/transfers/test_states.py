"""The transfer lifecycle over every pair of statuses, for each side."""
import itertools

import pytest

from icrs.core.errors import IllegalTransition
from icrs.transfers.states import RECEIVER, SENDER, TransferStatus, check

S = TransferStatus
ALLOWED = {  # (from, to, side)
    (S.REQUESTED, S.ACCEPTED, RECEIVER), (S.REQUESTED, S.REJECTED, RECEIVER),
    (S.REQUESTED, S.WITHDRAWN, SENDER),
}


@pytest.mark.parametrize("current,target,side",
                         list(itertools.product(S, S, (RECEIVER, SENDER))))
def test_every_pair(current, target, side):
    if (current, target, side) in ALLOWED:
        check(current, target, side)
    else:
        with pytest.raises(IllegalTransition):
            check(current, target, side)


def test_only_the_receiving_side_decides():
    for target in (S.ACCEPTED, S.REJECTED):
        with pytest.raises(IllegalTransition, match="receiving site"):
            check(S.REQUESTED, target, SENDER)


def test_final_statuses_say_closed():
    for final in (S.ACCEPTED, S.REJECTED, S.WITHDRAWN):
        with pytest.raises(IllegalTransition, match="already closed"):
            check(final, S.ACCEPTED, RECEIVER)

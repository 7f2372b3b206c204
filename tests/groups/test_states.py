"""The group status table over every pair."""
import itertools

import pytest

from icrs.core.errors import IllegalTransition
from icrs.groups import states
from icrs.groups.states import GroupStatus as S

ALLOWED = {(S.FORMING, S.ACTIVE), (S.FORMING, S.DISSOLVED), (S.ACTIVE, S.SELF_RELIANT),
           (S.ACTIVE, S.DISSOLVED)}


@pytest.mark.parametrize("current,target", list(itertools.product(S, S)))
def test_every_pair(current, target):
    if (current, target) in ALLOWED:
        states.check(current, target)
        assert target in states.targets(current)
    else:
        with pytest.raises(IllegalTransition):
            states.check(current, target)
        assert target not in states.targets(current)


def test_final_statuses_have_no_way_out():
    assert states.targets(S.SELF_RELIANT) == [] and states.targets(S.DISSOLVED) == []
    assert S.DISSOLVED not in states.MAY_RECEIVE

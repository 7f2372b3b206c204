"""A group's status (pure): forming → active → self-reliant or dissolved. A forming group may
be dissolved before it starts; self-reliant and dissolved are final."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum
from icrs.core.errors import IllegalTransition


class GroupStatus(LabelledEnum):
    FORMING = "forming", _l("Forming")
    ACTIVE = "active", _l("Active")
    SELF_RELIANT = "self_reliant", _l("Self-reliant")
    DISSOLVED = "dissolved", _l("Dissolved")


S = GroupStatus
TRANSITIONS = {
    (S.FORMING, S.ACTIVE), (S.FORMING, S.DISSOLVED),
    (S.ACTIVE, S.SELF_RELIANT), (S.ACTIVE, S.DISSOLVED),
}
# statuses in which the group still takes members, plans, meetings and follow-ups
OPEN = frozenset({S.FORMING, S.ACTIVE})
# statuses in which a grant may be made out to the group
MAY_RECEIVE = frozenset({S.FORMING, S.ACTIVE, S.SELF_RELIANT})


def targets(current) -> list:
    return [to for frm, to in sorted(TRANSITIONS) if frm == current]


def check(current, target) -> None:
    if (current, target) not in TRANSITIONS:
        raise IllegalTransition(_l("A group cannot move from “%(a)s” to “%(b)s”.",
                                   a=GroupStatus(current).label, b=GroupStatus(target).label))

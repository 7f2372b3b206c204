"""The social-cohesion questions of a group follow-up: a short coded set from ICRS/IOM
community-based reintegration practice (IOM Reintegration Handbook, module 4: community-level
reintegration; the social dimension of the IOM reintegration sustainability survey). Each
answer is coded and non-identifying (about the group, not a person), kept plain for the
dashboard's "first and latest follow-up" change."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum


class WorkingTogether(LabelledEnum):
    YES = "yes", _l("Yes")
    PARTLY = "partly", _l("Partly")
    NO = "no", _l("No")


# (column, question, kind): "scale" 1 (very low) to 5 (very high), "count", "choice"
QUESTIONS = (
    ("trust", _l("Trust between members (1 very low – 5 very high)"), "scale"),
    ("participation", _l("Participation in community activities (1 very low – 5 very high)"),
     "scale"),
    ("conflicts_resolved", _l("Conflicts resolved in the period"), "count"),
    ("working_together", _l("Ex-associates and community members work together"), "choice"),
)
SCALE = (1, 5)
SCALES = tuple(name for name, _, kind in QUESTIONS if kind == "scale")
# a choice's answer on the same footing as a scale for the change (no 0, yes 2)
WORKING_TOGETHER_SCORE = {"no": 0, "partly": 1, "yes": 2}

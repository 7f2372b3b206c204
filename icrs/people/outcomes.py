"""The coded answers of a structured follow-up visit (icrs.people.follow_ups): codes stored,
labels translated at display. Plain columns on purpose: they are coarse, non-identifying and
needed in aggregates (the sustainability score, the dashboard)."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum


class VisitType(LabelledEnum):
    HOME = "home", _l("Home visit")
    PHONE = "phone", _l("Phone call")
    CENTRE = "centre", _l("At the centre")
    GROUP = "group", _l("Group session")


class Activity(LabelledEnum):
    NONE = "none", _l("No activity")
    OWN_BUSINESS = "own_business", _l("Own business")
    EMPLOYED = "employed", _l("Employed")
    FARMING = "farming", _l("Farming or livestock")
    TRAINING = "training", _l("Apprenticeship or training")
    STUDIES = "studies", _l("Studies")
    OTHER = "other", _l("Other activity")


class IncomeBand(LabelledEnum):
    NONE = "none", _l("No income")
    UNDER_25K = "lt25k", _l("Less than 25,000 XAF a month")
    FROM_25K = "25k_50k", _l("25,000 to 50,000 XAF a month")
    FROM_50K = "50k_100k", _l("50,000 to 100,000 XAF a month")
    OVER_100K = "gt100k", _l("More than 100,000 XAF a month")


class StillRunning(LabelledEnum):
    YES = "yes", _l("Yes")
    NO = "no", _l("No")
    NOT_APPLICABLE = "na", _l("Not applicable")


class Housing(LabelledEnum):
    STABLE = "stable", _l("Stable housing")
    TEMPORARY = "temporary", _l("Temporary housing")
    NONE = "none", _l("No housing")


class Safety(LabelledEnum):
    NONE = "none", _l("No safety concern")
    SOME = "some", _l("Some safety concerns")
    SERIOUS = "serious", _l("Serious safety concerns")


ACCEPTANCE_SCALE = [(1, _l("1 — rejected")), (2, _l("2 — partly rejected")),
                    (3, _l("3 — mostly accepted")), (4, _l("4 — fully accepted"))]

# WHO-5 Well-Being Index (WHO, 1998): "Over the last two weeks…", each item 0 (at no time) to
# 5 (all of the time); raw score 0-25, shown multiplied by 4 as a percentage.
WHO5_ITEMS = (
    ("who5_cheerful", _l("I have felt cheerful and in good spirits")),
    ("who5_calm", _l("I have felt calm and relaxed")),
    ("who5_active", _l("I have felt active and vigorous")),
    ("who5_rested", _l("I woke up feeling fresh and rested")),
    ("who5_interest", _l("My daily life has been filled with things that interest me")),
)
WHO5_SCALE = [(5, _l("5 — all of the time")), (4, _l("4 — most of the time")),
              (3, _l("3 — more than half of the time")),
              (2, _l("2 — less than half of the time")), (1, _l("1 — some of the time")),
              (0, _l("0 — at no time"))]

# the coded items of a visit, in the order of the form and of the audit entry
CODED_ITEMS = ("visit_type", "activity", "income_band", "business_running", "housing",
               "family_acceptance", "community_acceptance", "safety",
               *(name for name, _ in WHO5_ITEMS))


class FollowUpSource(LabelledEnum):
    """The events after which follow-ups are scheduled automatically."""

    REFERRAL_COMPLETED = "referral_completed", _l("A referral was completed")

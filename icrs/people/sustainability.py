"""The reintegration sustainability score: the one place of its weights and formula.

Each coded item of a structured follow-up (icrs.people.outcomes) becomes a value from 0 (worst)
to 1 (best) by ITEM_VALUES; a dimension is the weighted mean of its items (ITEMS); the overall
score is the weighted mean of the three dimensions (DIMENSIONS):

    economic     = (2·activity + 2·income band + 1·business running + 1·housing) / 6
    social       = (1·family acceptance + 1·community acceptance + 1·safety) / 3
    psychosocial = WHO-5 raw score / 25
    overall      = (1·economic + 1·social + 1·psychosocial) / 3

Missing items are left out of the weighted mean (the weights of the items present are used);
a dimension with fewer than MIN_SHARE of its weight answered is None, and so is an item coded
"not applicable" (business running without a business) — it neither helps nor hurts. The overall
score is the weighted mean of the dimensions that are not None, and None when none is. The WHO-5
counts only complete (five items): a partial WHO-5 is refused at recording.

The baseline is the first profile, mapped onto the same items by `baseline_items` (see there for
what the profile captures); items it lacks are None, so a baseline dimension is computed from
what exists, or is None (psychosocial: the profile has no WHO-5).
"""
from dataclasses import dataclass

# --- weights: the only place ---------------------------------------------------------------------
DIMENSIONS = {"economic": 1, "social": 1, "psychosocial": 1}
ITEMS = {
    "economic": {"activity": 2, "income_band": 2, "business_running": 1, "housing": 1},
    "social": {"family_acceptance": 1, "community_acceptance": 1, "safety": 1},
    "psychosocial": {"who5": 1},
}
MIN_SHARE = 0.5  # of a dimension's weight that must be answered for it to count

ITEM_VALUES = {
    "activity": {"none": 0.0, "other": 0.5, "studies": 0.75, "training": 0.75,
                 "farming": 1.0, "own_business": 1.0, "employed": 1.0},
    "income_band": {"none": 0.0, "lt25k": 0.25, "25k_50k": 0.5, "50k_100k": 0.75,
                    "gt100k": 1.0},
    "business_running": {"no": 0.0, "yes": 1.0, "na": None},
    "housing": {"none": 0.0, "temporary": 0.5, "stable": 1.0},
    "family_acceptance": {1: 0.0, 2: 1 / 3, 3: 2 / 3, 4: 1.0},
    "community_acceptance": {1: 0.0, 2: 1 / 3, 3: 2 / 3, 4: 1.0},
    "safety": {"serious": 0.0, "some": 0.5, "none": 1.0},
}

# score bands of the dashboard's distribution (lower bound included, upper excluded; 1.0 in last)
BANDS = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0))
# a score a rounding error below a band's bound (0.4999999999 for 0.5) belongs to the band above,
# in Python as in SQL (icrs.dashboard.sustainability_queries), whatever the order of the sums
EPSILON = 1e-9


@dataclass(frozen=True)
class Score:
    economic: float | None
    social: float | None
    psychosocial: float | None
    overall: float | None

    def percent(self, name):
        value = getattr(self, name)
        return None if value is None else round(value * 100)


def _code(value):
    return getattr(value, "value", value)


def item_value(name, source):
    """An item's 0-1 value, or None when missing or not applicable."""
    if name == "who5":
        raw = getattr(source, "who5_raw", None)
        return None if raw is None else raw / 25
    return ITEM_VALUES[name].get(_code(getattr(source, name, None)))


def _weighted(pairs):
    pairs = [(value, weight) for value, weight in pairs if value is not None]
    total = sum(weight for _, weight in pairs)
    return sum(value * weight for value, weight in pairs) / total if total else None


def dimension(name, source):
    weights = ITEMS[name]
    values = {item: item_value(item, source) for item in weights}
    answered = sum(weights[item] for item, value in values.items() if value is not None)
    if answered < MIN_SHARE * sum(weights.values()):
        return None
    return _weighted((value, weights[item]) for item, value in values.items())


def score(source) -> Score:
    """The score of anything carrying the coded items (a FollowUp, a SustainabilityBaseline)."""
    dims = {name: dimension(name, source) for name in DIMENSIONS}
    overall = _weighted((dims[name], weight) for name, weight in DIMENSIONS.items())
    return Score(**dims, overall=overall)


def band_of(value):
    """Index into BANDS of a 0-1 score."""
    for index, (_low, high) in enumerate(BANDS):
        if value + EPSILON < high:
            return index
    return len(BANDS) - 1


# --- baseline: the first profile mapped onto the items -------------------------------------------
# work.current_activity -> activity (casual labour and domestic work count as "other" / "none")
PROFILE_ACTIVITY = {"farming": "farming", "livestock": "farming", "trade": "own_business",
                    "crafts": "own_business", "employment": "employed", "casual": "other",
                    "student": "studies", "domestic": "none", "none": "none", "other": "other"}
# household.living_arrangement -> housing ("alone" and "other" say nothing of the housing)
PROFILE_HOUSING = {"own_family": "stable", "parents": "stable", "relatives": "stable",
                   "host_family": "temporary", "interim_care": "temporary"}
# psychosocial.community_acceptance -> family and community acceptance (one question for both)
PROFILE_ACCEPTANCE = {"accepted": 4, "partly": 2, "rejected": 1}
# security.feels_safe -> safety; "has received threats" makes it at least "some"
PROFILE_SAFETY = {"yes": "none", "somewhat": "some", "no": "serious"}
INCOME_BAND_LIMITS = ((25_000, "lt25k"), (50_000, "25k_50k"), (100_001, "50k_100k"))


def income_band_of(monthly_income, has_income):
    """XAF a month -> band; without a figure, "has no income" is the band "none"."""
    if monthly_income is None:
        return "none" if has_income == "no" else None
    if monthly_income <= 0:
        return "none"
    for limit, band in INCOME_BAND_LIMITS:
        if monthly_income < limit:
            return band
    return "gt100k"


def baseline_items(answers: dict) -> dict:
    """The profile's section answers ({section: {question: answer}}) -> the coded items.
    Not in the profile: business running, and the WHO-5 (so no psychosocial baseline)."""
    work, household = answers.get("work") or {}, answers.get("household") or {}
    security = answers.get("security") or {}
    acceptance = PROFILE_ACCEPTANCE.get((answers.get("psychosocial") or {})
                                        .get("community_acceptance"))
    safety = PROFILE_SAFETY.get(security.get("feels_safe"))
    if security.get("threatened") == "yes" and safety in (None, "none"):
        safety = "some"
    return {"activity": PROFILE_ACTIVITY.get(work.get("current_activity")),
            "income_band": income_band_of(work.get("monthly_income"), work.get("has_income")),
            "business_running": None, "housing": PROFILE_HOUSING.get(
                household.get("living_arrangement")),
            "family_acceptance": acceptance, "community_acceptance": acceptance,
            "safety": safety, "who5_raw": None}

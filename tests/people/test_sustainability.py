"""The sustainability score on hand-made follow-ups with known results (exact numbers), missing
items, "not applicable", and the baseline mapped from a profile's answers."""
from types import SimpleNamespace

import pytest

from icrs.people import sustainability as s


def visit(**items):
    base = {"activity": None, "income_band": None, "business_running": None, "housing": None,
            "family_acceptance": None, "community_acceptance": None, "safety": None,
            "who5_raw": None}
    return SimpleNamespace(**{**base, **items})


BEST = visit(activity="own_business", income_band="gt100k", business_running="yes",
             housing="stable", family_acceptance=4, community_acceptance=4, safety="none",
             who5_raw=25)


def test_the_best_visit_scores_one_everywhere():
    assert s.score(BEST) == s.Score(1.0, 1.0, 1.0, 1.0)


def test_the_worst_visit_scores_zero_everywhere():
    worst = visit(activity="none", income_band="none", business_running="no", housing="none",
                  family_acceptance=1, community_acceptance=1, safety="serious", who5_raw=0)
    assert s.score(worst) == s.Score(0.0, 0.0, 0.0, 0.0)


def test_a_mixed_visit():
    # economic (2·0.75 + 2·0.5 + 1·1 + 1·0.5) / 6 = 4/6; social (2/3 + 1/3 + 0.5) / 3 = 0.5;
    # psychosocial 15/25 = 0.6; overall (2/3 + 0.5 + 0.6) / 3 = 0.5888…
    mixed = visit(activity="training", income_band="25k_50k", business_running="yes",
                  housing="temporary", family_acceptance=3, community_acceptance=2,
                  safety="some", who5_raw=15)
    score = s.score(mixed)
    assert score.economic == pytest.approx(4 / 6)
    assert score.social == pytest.approx(0.5)
    assert score.psychosocial == pytest.approx(0.6)
    assert score.overall == pytest.approx((4 / 6 + 0.5 + 0.6) / 3)
    assert [score.percent(n) for n in ("economic", "social", "psychosocial", "overall")] == \
        [67, 50, 60, 59]


def test_not_applicable_neither_helps_nor_hurts():
    # economic without the business item: (2·1 + 2·0.25 + 1·0) / 5 = 0.5
    score = s.score(visit(activity="farming", income_band="lt25k", business_running="na",
                          housing="none"))
    assert score.economic == pytest.approx(0.5)


def test_missing_items_leave_the_weighted_mean_and_too_few_give_none():
    # social: only family (4 → 1.0) answered = 1/3 of the weight < MIN_SHARE → None
    assert s.score(visit(family_acceptance=4)).social is None
    # two of three answered: (1.0 + 0.0) / 2
    assert s.score(visit(family_acceptance=4, safety="serious")).social == pytest.approx(0.5)
    # economic: housing alone (weight 1 of 6) or activity alone (2 of 6) → None; 3 of 6 counts
    assert s.score(visit(housing="stable")).economic is None
    assert s.score(visit(activity="employed")).economic is None
    assert s.score(visit(housing="stable", activity="employed")).economic == pytest.approx(1.0)
    assert s.score(visit(activity="employed", income_band="none")).economic == \
        pytest.approx(0.5)


def test_overall_uses_the_dimensions_present_and_none_when_none():
    only_wellbeing = visit(who5_raw=20)
    assert s.score(only_wellbeing) == s.Score(None, None, 0.8, 0.8)
    assert s.score(visit()) == s.Score(None, None, None, None)


def test_bands():
    assert [s.band_of(v) for v in (0.0, 0.2499, 0.25, 0.5, 0.74, 0.75, 1.0)] == \
        [0, 0, 1, 2, 2, 3, 3]


def test_income_bands_from_a_monthly_figure():
    assert [s.income_band_of(v, "yes") for v in (0, 24_999, 25_000, 50_000, 100_000, 100_001)] \
        == ["none", "lt25k", "25k_50k", "50k_100k", "50k_100k", "gt100k"]
    assert s.income_band_of(None, "no") == "none"
    assert s.income_band_of(None, "yes") is None


def test_baseline_items_from_a_profile():
    answers = {"work": {"current_activity": "casual", "has_income": "yes",
                        "monthly_income": 30_000},
               "household": {"living_arrangement": "host_family"},
               "psychosocial": {"community_acceptance": "partly"},
               "security": {"feels_safe": "yes", "threatened": "yes"}}
    items = s.baseline_items(answers)
    assert items == {"activity": "other", "income_band": "25k_50k", "business_running": None,
                     "housing": "temporary", "family_acceptance": 2,
                     "community_acceptance": 2, "safety": "some", "who5_raw": None}
    score = s.score(visit(**items))
    # economic (2·0.5 + 2·0.5 + 1·0.5) / 5 = 0.5; social (1/3 + 1/3 + 0.5) / 3; no WHO-5
    assert score.economic == pytest.approx(0.5)
    assert score.social == pytest.approx((2 / 3 + 0.5) / 3)
    assert score.psychosocial is None
    assert score.overall == pytest.approx((0.5 + (2 / 3 + 0.5) / 3) / 2)


def test_an_empty_profile_gives_an_empty_baseline():
    assert s.score(visit(**s.baseline_items({}))).overall is None

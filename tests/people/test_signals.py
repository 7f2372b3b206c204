"""People asks the domains above by signal (no upward imports): the stage facts, the case page
panels and the timeline come from profiling and referrals answering."""
import pathlib

from icrs.core.signals import dict_from_signal, values_from_signal
from icrs.people import signals
from icrs.people.stages import gather_facts

ICRS = pathlib.Path(__file__).resolve().parents[2] / "icrs"


def test_values_from_signal_drops_nones_and_chains():
    responses = [(None, None), (None, [1, 2]), (None, [3])]
    assert values_from_signal(responses) == [[1, 2], [3]]
    assert values_from_signal(responses, multi_value=True) == [1, 2, 3]
    assert dict_from_signal([(None, {"a": 1}), (None, None), (None, {"b": 2})]) == \
        {"a": 1, "b": 2}


def test_profiling_and_referrals_answer_the_stage_facts(make, db):
    person = make.person()
    make.referral(person)
    answered = dict_from_signal(signals.stage_facts.send(person))
    assert answered == {"profile_complete": False, "referrals_sent": 1,
                        "referrals_accepted": 0, "referrals_open": 1, "has_pathway": False}
    facts = gather_facts(person)
    assert (facts.referrals_sent, facts.referrals_open, facts.profile_complete) == (1, 1, False)


def test_case_panels_and_timeline_come_from_the_domains_above(make, db):
    person = make.person()
    make.referral(person)
    panels = dict_from_signal(signals.case_panels.send(person, user=person.caseworker))
    assert set(panels) == {"profile", "referrals", "documents", "household",
                           "assistance", "plan", "feedback"}
    assert len(panels["referrals"]["items"]) == 1
    kinds = {event[1] for event in values_from_signal(signals.timeline_events.send(person),
                                                      multi_value=True)}
    assert kinds == {"referral"}


def test_no_optional_domain_import_guards():
    guarded = [str(p.relative_to(ICRS)) for p in ICRS.rglob("*.py")
               if "except ImportError" in p.read_text() or "ModuleNotFoundError" in p.read_text()]
    assert guarded == []
    people = [str(p.relative_to(ICRS)) for p in (ICRS / "people").rglob("*.py")
              if "icrs.referrals" in p.read_text() or "icrs.profiling" in p.read_text()]
    assert people == []

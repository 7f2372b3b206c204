"""The one rule: a child's purpose counts with both the caregiver's consent and the child's
assent in force; an adult's only with their own. Every use asks it (referrals, packet,
matching, stages)."""
import pytest
import sqlalchemy as sa

from icrs.core.errors import DomainError
from icrs.people.models import Consent, ConsentGiver, ConsentMethod, ConsentPurpose
from icrs.people.services import (
    consented_categories,
    counting_consent,
    has_consent,
    record_consent,
    withdraw_consent,
)
from icrs.referrals.matching import suggest
from icrs.referrals.packet import packet_visible
from tests.minors.conftest import consent, years_ago

CAT = "vocational_training"


def _raw_consent(db, person, actor, given_by, category=CAT):
    """A row as the service wrote it at another age (a caregiver's consent from childhood)."""
    row = Consent(person_id=person.id, purpose=ConsentPurpose.SHARING, service_category=category,
                  text_version="1", method=ConsentMethod.SIGNED, recorded_by_id=actor.id,
                  given_by=ConsentGiver(given_by))
    db.session.add(row)
    db.session.flush()
    return row


@pytest.mark.parametrize("givers,counts", [
    ((), False),
    (("caregiver",), False),
    (("child_assent",), False),
    (("caregiver", "child_assent"), True),
    (("self",), False),                      # a child's own consent alone is not enough
    (("self", "caregiver"), False),
    (("self", "child_assent"), False),
])
def test_a_child_needs_the_caregiver_and_the_assent(db, child, worker, givers, counts):
    for giver in givers:
        _raw_consent(db, child, worker, giver)
    assert has_consent(child, ConsentPurpose.SHARING, CAT) is counts
    assert (CAT in consented_categories(child)) is counts
    assert (counting_consent(child, ConsentPurpose.SHARING, CAT) is not None) is counts


@pytest.mark.parametrize("withdrawn", ["caregiver", "child_assent"])
def test_withdrawing_either_stops_it(db, child, worker, withdrawn):
    rows = {g: consent(worker, child, g) for g in ("caregiver", "child_assent")}
    assert has_consent(child, ConsentPurpose.SHARING, CAT)
    withdraw_consent(worker, child, rows[withdrawn])
    assert not has_consent(child, ConsentPurpose.SHARING, CAT)
    assert CAT not in consented_categories(child)


def test_caregiver_and_assent_for_different_categories_do_not_add_up(db, child, worker):
    consent(worker, child, "caregiver", category=CAT)
    consent(worker, child, "child_assent", category="literacy")
    assert not has_consent(child, ConsentPurpose.SHARING)
    assert consented_categories(child) == set()


@pytest.mark.parametrize("givers,counts", [
    (("self",), True),
    (("caregiver", "child_assent"), False),  # given in childhood: no longer counts at 18
    (("caregiver",), False),
    (("child_assent",), False),
])
def test_an_adult_counts_only_their_own_consent(db, adult, worker, givers, counts):
    for giver in givers:
        _raw_consent(db, adult, worker, giver)
    assert has_consent(adult, ConsentPurpose.SHARING, CAT) is counts


def test_on_turning_18_the_childhood_consents_stop_counting(db, child, worker):
    consent(worker, child, "caregiver")
    consent(worker, child, "child_assent")
    assert has_consent(child, ConsentPurpose.SHARING, CAT)
    born = years_ago(18)  # the 18th birthday is today
    child.birth_date, child.birth_year = born, born.year
    db.session.flush()
    assert not child.is_minor
    assert not has_consent(child, ConsentPurpose.SHARING, CAT)
    record_consent(worker, child, ConsentPurpose.SHARING, ConsentMethod.SIGNED,
                   service_category=CAT)  # their own, now
    assert has_consent(child, ConsentPurpose.SHARING, CAT)


def test_the_day_before_18_still_a_child(db, child):
    born = years_ago(18, days=-1)
    child.birth_date, child.birth_year = born, born.year
    assert child.is_minor


def test_birth_year_only(db, child):
    child.birth_date, child.birth_year = None, years_ago(17).year
    assert child.is_minor
    child.birth_year = years_ago(18).year
    assert not child.is_minor


def test_recording_refuses_the_wrong_giver(db, child, adult, worker):
    with pytest.raises(DomainError) as refused:
        consent(worker, child, "self")
    assert refused.value.field == "given_by"
    with pytest.raises(DomainError) as refused:
        consent(worker, adult, "caregiver")
    assert refused.value.field == "given_by"
    with pytest.raises(DomainError) as refused:
        consent(worker, child, "caregiver", relationship=None)
    assert refused.value.field == "caregiver_relationship"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0


def test_the_caregiver_consent_keeps_who_and_the_assent_does_not_close_it(db, child, worker):
    given = consent(worker, child, "caregiver", relationship="grandparent")
    assent = consent(worker, child, "child_assent")
    assert given.active and assent.active  # the assent renews nothing
    assert given.caregiver_relationship == "grandparent"
    assert given.caregiver_name == "Hawa Modu"  # the caregiver on record, by default
    with pytest.raises(DomainError):
        consent(worker, child, "caregiver")  # already in force


def test_matching_and_packet_follow_the_rule(db, make, child, worker):
    from icrs.core.timeutil import utcnow
    from icrs.people.best_interest import BestInterestAssessment, Recommendation
    service = make.service(category=CAT)
    consent(worker, child, "caregiver")
    fit = {s.service.id: s for s in suggest(child, services=[service])}
    assert not fit[service.id].consent
    assent = consent(worker, child, "child_assent")
    fit = {s.service.id: s for s in suggest(child, services=[service])}
    assert fit[service.id].consent
    # an approved best-interest assessment lets the referral go
    supervisor = make.user("supervisor", region="EN")
    db.session.add(BestInterestAssessment(person_id=child.id, recommendation=Recommendation(
        "other_services"), recorded_by_id=worker.id, approved_by_id=supervisor.id,
        approved_at=utcnow()))
    referral = make.referral(child, service)
    assert packet_visible(referral)
    withdraw_consent(worker, child, assent)
    assert not packet_visible(referral)

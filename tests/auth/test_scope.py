"""Scope: the one rule of who sees which people, as a value (`covers`) and as SQL (`clause`)."""
import pytest
import sqlalchemy as sa

from icrs.auth.scope import PlaceColumns, Scope
from icrs.people.models import Person
from icrs.referrals.models import Referral


@pytest.fixture
def places(make, db):
    en, nw = make.region("EN"), make.region("NW")
    return {"en": en, "nw": nw, "mer": make.site("MER", en), "mor": make.site("MOR", en),
            "bam": make.site("BAM", nw)}


@pytest.fixture
def people(make, places):
    """One person at each of Méri, Mora and Bamenda, registered by that site's caseworker."""
    return {code: make.person(make.user("caseworker", site=places[code]))
            for code in ("mer", "mor", "bam")}


def _visible(user):
    stmt = sa.select(Person.id).where(user.scope.clause(Person))
    return set(sa.orm.Session.object_session(user).scalars(stmt))


def _check(user, people, expected):
    """covers() and clause() agree, and both say `expected` (site codes)."""
    covered = {code for code, p in people.items() if user.scope.covers(p)}
    assert covered == set(expected)
    assert _visible(user) == {people[c].id for c in expected}
    for code, p in people.items():
        assert p.can_view(user) == (code in expected)


def test_national_supervisor_sees_everyone(make, places, people):
    user = make.user("supervisor")
    assert user.scope.national
    _check(user, people, ["mer", "mor", "bam"])
    regions, sites = user.scope.places()
    assert {r.code for r in regions} == {"EN", "NW"}
    assert {s.code for s in sites} == {"MER", "MOR", "BAM"}


def test_regional_supervisor_sees_their_region(make, places, people):
    user = make.user("supervisor", region=places["en"])
    assert not user.scope.national
    _check(user, people, ["mer", "mor"])
    regions, sites = user.scope.places()
    assert [r.code for r in regions] == ["EN"]
    assert {s.code for s in sites} == {"MER", "MOR"}
    assert user.scope.covers_region(places["en"].id)
    assert not user.scope.covers_region(places["nw"].id)
    assert not user.scope.covers_site(places["bam"])


def test_caseworker_sees_their_site_only(make, places, people):
    user = make.user("caseworker", site=places["mer"])
    _check(user, people, ["mer"])
    regions, sites = user.scope.places()
    assert [r.code for r in regions] == ["EN"] and [s.code for s in sites] == ["MER"]
    assert user.scope.covers_site(places["mer"]) and not user.scope.covers_site(places["mor"])


def test_provider_sees_no_one_and_no_place(make, places, people):
    user = make.user("provider")
    assert user.scope.nowhere and not user.scope.national
    _check(user, people, [])
    assert user.scope.places() == ([], [])
    assert not user.scope.covers_region(places["en"].id)


def test_admin_sees_every_place_but_no_person(make, places, people):
    user = make.user("admin")
    assert user.scope.national
    _check(user, people, [])
    regions, _ = user.scope.places()
    assert {r.code for r in regions} == {"EN", "NW"}


def test_an_inactive_user_sees_no_one(make, places, people):
    user = make.user("supervisor", active=False)
    _check(user, people, [])


def test_clause_reads_copied_columns(make, places, people, db):
    """The referral lists read the referral's copy of its person's place, with the same rule."""
    referral = make.referral(people["mor"])
    on_referral = PlaceColumns(region_id=Referral.person_region_id,
                               site_id=Referral.person_site_id)
    for user, seen in ((make.user("supervisor", region=places["en"]), {referral.id}),
                       (make.user("supervisor", region=places["nw"]), set()),
                       (make.user("caseworker", site=places["mer"]), set()),
                       (people["mor"].caseworker, {referral.id})):
        stmt = sa.select(Referral.id).where(user.scope.clause(on_referral))
        assert set(db.session.scalars(stmt)) == seen


def test_scope_is_a_value():
    assert Scope(region_id=3, people=True) == Scope(region_id=3, people=True)
    assert not Scope(nowhere=True).covers_region(3)

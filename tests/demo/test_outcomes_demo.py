"""The demo has follow-ups scheduled after completed referrals (some still ahead), structured
visits at 1 and 3 months whose score rises from the baseline, and a second load adds nothing."""
import sqlalchemy as sa

from icrs.core.timeutil import today
from icrs.people import follow_ups
from icrs.people.models import FollowUp, Person
from tests.demo.test_protection_demo import demo  # noqa: F401


def test_demo_outcomes(demo, db):  # noqa: F811
    scheduled = db.session.scalars(sa.select(FollowUp).where(
        FollowUp.source_kind.is_not(None))).all()
    assert scheduled and {f.offset_months for f in scheduled} == {1, 3, 6, 12}
    assert any(f.done_at is None and f.due_date > today() for f in scheduled)
    people = {f.person_id for f in scheduled if f.is_structured}
    assert len(people) >= 3
    rising = 0
    for person_id in people:
        trend = follow_ups.trend(db.session.get(Person, person_id))
        assert [v.offset_months for v, _ in trend["visits"]] == [1, 3]
        first, last = trend["visits"][0][1], trend["latest"][1]
        assert last.overall > first.overall
        base = trend["baseline"]
        rising += base is not None and base.overall is not None and last.overall > base.overall
    assert rising >= 3


def test_second_load_adds_no_follow_up(demo, app, db):  # noqa: F811
    from icrs.demo import outcomes
    before = db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp))
    outcomes.load(type("Ctx", (), {"summary": []})())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)) == before

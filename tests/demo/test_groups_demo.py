"""The demo has community members and a group in every status, with follow-ups and a group
grant; a second load adds nothing."""
import sqlalchemy as sa

from icrs.assistance.models import Entitlement
from icrs.groups.models import CommunityGroup, GroupFollowUp
from icrs.groups.states import GroupStatus
from icrs.people.kinds import BeneficiaryKind
from icrs.people.models import Person
from tests.demo.test_protection_demo import demo  # noqa: F401


def test_demo_groups(demo, db):  # noqa: F811
    members = db.session.scalar(sa.select(sa.func.count()).select_from(Person).where(
        Person.beneficiary_kind == BeneficiaryKind.COMMUNITY_MEMBER))
    assert members >= 4
    assert set(db.session.scalars(sa.select(CommunityGroup.status))) == set(GroupStatus)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GroupFollowUp)) >= 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Entitlement).where(
        Entitlement.group_grant_id.is_not(None))) == 5


def test_second_load_adds_no_group(demo, app, db):  # noqa: F811
    from icrs.demo import groups
    before = db.session.scalar(sa.select(sa.func.count()).select_from(CommunityGroup))
    groups.load(type("Ctx", (), {"summary": []})())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CommunityGroup)) == before

"""The demo has the follow-up visit form in each state: shipped (the demo's visits), a
published version in use and a draft; a second load adds nothing."""
import sqlalchemy as sa

from icrs.field import versions
from icrs.field.models import QuestionnaireVersion
from icrs.people.models import FollowUp
from tests.demo.test_protection_demo import demo  # noqa: F401


def test_demo_questionnaire_versions(demo, db):  # noqa: F811
    rows = {r.version: r.published for r in db.session.scalars(sa.select(QuestionnaireVersion))}
    assert rows == {"2026120402": True, "2026120403": False}
    assert versions.current("follow_up_visit").version == "2026120402"
    recorded = set(db.session.scalars(sa.select(FollowUp.form_version)
                                      .where(FollowUp.visit_date.is_not(None))))
    assert recorded == {"2026120401"}
    from icrs.demo import questionnaires
    questionnaires.load(type("Ctx", (), {"summary": []})())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionnaireVersion)) == 2

"""Issue 20's journey: a caseworker registers a woman and her two children, links them in one
household, records the caregiver's consent and the older child's assent, attaches the signed
consent form, refers the older child to a child-protection service (and cannot refer them
elsewhere before the best-interest sign-off); a same-site colleague cannot read the security
section without break-glass, and the break-glass shows up for the supervisor."""
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from icrs.core.errors import DomainError
from icrs.core.timeutil import today
from icrs.documents.models import Attachment
from icrs.households.services import current_member_person_ids
from icrs.people import services
from icrs.people.models import ConsentMethod, ConsentPurpose
from icrs.people.services.consent import has_consent
from icrs.profiling import services as profiling
from icrs.profiling.queries import get_draft
from icrs.referrals import services as referrals
from icrs.referrals.states import ReferralStatus
from tests.households.conftest import signed_in
from tests.people.test_attachments import PDF
from tests.profiling.conftest import COMPLETE

REASON = "Permanence : la mère se présente en détresse, l'agent en charge est absent."


def _born(years):
    now = today()
    return now.replace(year=now.year - years) - dt.timedelta(days=30)


def _register(worker, **identity):
    return services.register_person(worker, worker.site, identity)


@pytest.fixture
def family(db, team):
    owner = team["owner"]
    mother = _register(owner, first_name="Hadidja", last_name="Modu", sex="female",
                       category="adult_woman", birth_year=1992, languages=["fr"])
    older = _register(owner, first_name="Ali", last_name="Modu", sex="male", category="caafag",
                      birth_date=_born(15), birth_year=_born(15).year,
                      caregiver_name="Hadidja Modu", languages=["fr"])
    younger = _register(owner, first_name="Zara", last_name="Modu", sex="female",
                        category="dependant", birth_date=_born(8), birth_year=_born(8).year,
                        caregiver_name="Hadidja Modu", languages=["fr"])
    for code, answers in COMPLETE.items():
        draft = get_draft(mother)
        profiling.save_section(owner, mother, code, answers, draft.version if draft else 0)
    db.session.commit()
    return mother, older, younger


def test_the_protection_journey(app, db, make, team, family):
    mother, older, younger = family
    owner = signed_in(app, team["owner"])
    # one household: the mother as head, both children registered members
    assert owner.post(f"/people/{mother.id}/household").status_code in (302, 303)
    for child in (older, younger):
        response = owner.post(f"/people/{mother.id}/household/members", data={
            "hhreg-case_number": child.case_number, "hhreg-relationship": "child",
            "hhreg-lives_together": "y"})
        assert response.status_code in (302, 303)
    assert current_member_person_ids(older) == {mother.id, older.id, younger.id}
    # the older child: the caregiver's consent and the child's assent, both needed to share
    for purpose, category in ((ConsentPurpose.SHARING, "child_protection"),
                              (ConsentPurpose.SHARING, "vocational_training")):
        services.record_consent(team["owner"], older, purpose, ConsentMethod.SIGNED,
                                service_category=category, given_by="caregiver",
                                caregiver_relationship="mother")
        assert not has_consent(older, purpose, category)
        services.record_consent(team["owner"], older, purpose, ConsentMethod.SIGNED,
                                service_category=category, given_by="child_assent")
        assert has_consent(older, purpose, category)
    db.session.commit()
    # the signed consent form, attached encrypted
    response = owner.post(f"/people/{older.id}/documents", data={
        "doc-kind": "consent_form", "doc-file": (io.BytesIO(PDF), "form.pdf")},
        content_type="multipart/form-data")
    assert response.status_code in (302, 303)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
        Attachment.person_id == older.id)) == 1
    # child protection first; another service waits for the best-interest sign-off
    cp = make.service(category="child_protection", name="Protection de l'enfance")
    training = make.service(category="vocational_training")
    data = {"priority": "normal", "reason": "Prise en charge de l'enfant sorti du groupe",
            "share": ["first_name", "age_band"]}
    referral = referrals.refer(team["owner"], older, cp, data)
    assert referral.status == ReferralStatus.SENT
    with pytest.raises(DomainError):
        referrals.refer(team["owner"], older, training, data)
    db.session.commit()
    # a same-site colleague: the security section is restricted until break-glass
    colleague = signed_in(app, team["colleague"])
    page = colleague.get(f"/people/{mother.id}/profile/security")
    assert page.status_code == 403
    response = colleague.post(f"/people/{mother.id}/break-glass", data={"glass-reason": REASON})
    assert response.status_code in (302, 303)
    assert colleague.get(f"/people/{mother.id}/profile/security").status_code == 200
    listed = signed_in(app, team["supervisor"]).get("/dashboard/break-glass")
    assert listed.status_code == 200 and mother.case_number in listed.get_data(as_text=True)

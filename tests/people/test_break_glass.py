"""Need-to-know on the sensitive sections and break-glass: refused to a colleague of the site
(restricted, no answer in the page), opened with a reason for a while, audited, notified, listed
for the region's supervisors only."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.timeutil import utcnow
from icrs.people.need_to_know import BreakGlass, may_read_sensitive
from icrs.profiling import services as profiling
from icrs.profiling.queries import get_draft
from icrs.referrals.notifications import Notification
from tests.conftest import signed_in
from tests.profiling.conftest import COMPLETE

SECRETS = ("Kolofata", "Menaces du frère")  # free text of the association and security sections
REASON = "La personne est en détresse à l’accueil et sa caseworker est absente."


@pytest.fixture
def person(make, db, team):
    person = make.person(actor=team["owner"])
    for code, answers in COMPLETE.items():
        draft = get_draft(person)
        profiling.save_section(team["owner"], person, code, answers,
                               draft.version if draft else 0)
    db.session.commit()
    return person


def _count(db, model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _break(client, person, reason=REASON):
    return client.post(f"/people/{person.id}/break-glass", data={"glass-reason": reason})


def test_the_assigned_caseworker_and_the_supervisor_read_the_sections(app, db, team, person):
    for who in ("owner", "supervisor"):
        page = signed_in(app, team[who]).get(f"/people/{person.id}/profile/association")
        assert page.status_code == 200 and "Kolofata" in page.get_data(as_text=True)
        assert may_read_sensitive(team[who], person)


def test_a_colleague_of_the_site_sees_restricted_and_no_answer(app, db, team, person):
    client = signed_in(app, team["colleague"])
    assert not may_read_sensitive(team["colleague"], person)
    for code in ("association", "security", "health", "psychosocial"):
        page = client.get(f"/people/{person.id}/profile/{code}")
        body = page.get_data(as_text=True)
        assert page.status_code == 403 and "Restricted" in body
        assert "break-glass" in body and not any(s in body for s in SECRETS)
    overview = client.get(f"/people/{person.id}/profile").get_data(as_text=True)
    assert "Restricted" in overview and "Security threat" not in overview
    case = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Restricted sections" in case and "Security threat" not in case
    assert "Pregnant or breastfeeding" not in case  # a flag from the health section


@pytest.mark.parametrize("reason", ["", "   ", "too short"])
def test_break_glass_without_a_reason_is_refused_and_writes_nothing(app, db, team, person,
                                                                    reason):
    response = _break(signed_in(app, team["colleague"]), person, reason)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at least 15 characters" in body
    assert _count(db, BreakGlass) == 0
    assert _count(db, AuditEntry, AuditEntry.action == "people.break_glass") == 0
    assert _count(db, Notification) == 0
    assert _count(db, AuditEntry, AuditEntry.action == "people.viewed") == 1  # the page shown


def test_break_glass_reason_message_is_translated(app, db, team, person):
    team["colleague"].locale = "fr"
    db.session.commit()
    body = _break(signed_in(app, team["colleague"]), person, "court").get_data(as_text=True)
    assert "au moins 15 caractères" in body


def test_break_glass_opens_the_sections_audited_and_notified(app, db, team, person):
    client = signed_in(app, team["colleague"])
    response = _break(client, person)
    assert response.status_code == 302
    grant = db.session.scalar(sa.select(BreakGlass))
    assert grant.user_id == team["colleague"].id and grant.person_id == person.id
    assert grant.reason == REASON and REASON.encode() not in grant.reason_ct
    assert dt.timedelta(minutes=59) < grant.expires_at - grant.created_at \
        <= dt.timedelta(minutes=60)
    page = client.get(f"/people/{person.id}/profile/security")
    assert page.status_code == 200 and "Menaces du frère" in page.get_data(as_text=True)
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "people.break_glass"))
    assert entry.actor_id == team["colleague"].id and entry.object_id == str(person.id)
    assert REASON not in str(entry.details)
    told = {n.user_id: n for n in db.session.scalars(sa.select(Notification))}
    assert set(told) == {team["owner"].id, team["supervisor"].id}
    for note in told.values():
        assert note.kind == "break_glass" and person.case_number not in str(note.message)
    # a second break-glass while the grant runs is refused (the sections are open already)
    assert _break(client, person).status_code == 403


def test_the_grant_expires(app, db, team, person):
    client = signed_in(app, team["colleague"])
    assert _break(client, person).status_code == 302
    grant = db.session.scalar(sa.select(BreakGlass))
    grant.created_at = utcnow() - dt.timedelta(hours=2)
    grant.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/people/{person.id}/profile/association")
    assert page.status_code == 403 and "Kolofata" not in page.get_data(as_text=True)
    assert not may_read_sensitive(team["colleague"], person)


def test_break_glass_minutes_come_from_the_config(app, db, team, person, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_BREAK_GLASS_MINUTES", 5)
    assert _break(signed_in(app, team["colleague"]), person).status_code == 302
    grant = db.session.scalar(sa.select(BreakGlass))
    assert grant.expires_at - grant.created_at == dt.timedelta(minutes=5)


def test_who_may_not_break_the_glass(app, db, make, team, person):
    """The owner and the supervisor need none; another site's caseworker never sees the case."""
    assert _break(signed_in(app, team["owner"]), person).status_code == 403
    assert _break(signed_in(app, team["supervisor"]), person).status_code == 403
    other_site = make.user("caseworker", site=make.site("MOR"))
    db.session.commit()
    assert _break(signed_in(app, other_site), person).status_code == 404
    provider = make.user("provider")
    db.session.commit()
    assert _break(signed_in(app, provider), person).status_code == 403
    assert _count(db, BreakGlass) == 0


def test_the_supervisor_lists_the_uses_of_the_region_only(app, db, team, person):
    assert _break(signed_in(app, team["colleague"]), person).status_code == 302
    mine = signed_in(app, team["supervisor"]).get("/dashboard/break-glass")
    body = mine.get_data(as_text=True)
    assert mine.status_code == 200 and person.case_number in body and REASON.split()[0] in body
    assert team["colleague"].full_name in body
    assert mine.headers["Cache-Control"] == "no-store"
    other = signed_in(app, team["elsewhere"]).get("/dashboard/break-glass")
    assert other.status_code == 200 and person.case_number not in other.get_data(as_text=True)
    assert _count(db, AuditEntry, AuditEntry.action == "people.break_glass_reviewed") == 2
    assert signed_in(app, team["colleague"]).get("/dashboard/break-glass").status_code == 403


def test_the_supervisors_notification_leads_to_the_list(app, db, team, person):
    from icrs.referrals.notifications import link_for

    assert _break(signed_in(app, team["colleague"]), person).status_code == 302
    note = db.session.scalar(sa.select(Notification).where(
        Notification.user_id == team["supervisor"].id))
    with app.test_request_context():
        assert link_for(note, team["supervisor"]) == "/dashboard/break-glass"

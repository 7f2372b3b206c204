"""The duplicate check is no registry-membership oracle: a match outside the caseworker's scope
shows no case number, site or stage, only a translated notice; the site's supervisors are told
(in-app, no personal data); each check is audited; the check is rate-limited per user."""
import json

import sqlalchemy as sa

from icrs.audit.labels import ACTIONS
from icrs.audit.models import AuditEntry
from icrs.extensions import limiter
from icrs.people.models import Person
from icrs.referrals.notifications import Notification
from tests.people.test_views import GOOD

NOTICE = "A possible duplicate is registered at another site"


def _elsewhere(register, make):
    """A person registered at Bamenda (region NW) with GOOD's phone number."""
    bam = make.site("BAM", region="NW")
    other = register(make.user("caseworker", site=bam), phone="+237 699 55 44 33")
    supervisor = make.user("supervisor", region=bam.region)
    far = make.user("supervisor", region=make.region("SW"))
    return other, supervisor, far


def test_out_of_scope_match_shows_no_case_and_tells_the_supervisor(client, login_as, register,
                                                                     make, db):
    other, supervisor, far = _elsewhere(register, make)
    login_as("caseworker", locale="en")
    warned = client.post("/people/new", data=GOOD)
    body = warned.get_data(as_text=True)
    assert warned.status_code == 409 and NOTICE in body
    assert other.case_number not in body and "Bamenda" not in body and "BAM" not in body
    notes = db.session.scalars(sa.select(Notification)).all()
    assert [(n.user_id, n.kind, n.person_id) for n in notes] == [
        (supervisor.id, "possible_duplicate", other.id)]
    assert far.id not in {n.user_id for n in notes}
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "people.duplicate_checked"))
    assert json.loads(entry.details)["elsewhere"] == 1 and "699" not in entry.details
    again = client.post("/people/new", data=GOOD)  # once a day per case and supervisor
    assert again.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1
    confirmed = client.post("/people/new", data={**GOOD, "not_duplicate_of": "elsewhere"})
    assert confirmed.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2


def test_notice_is_translated(client, login_as, register, make):
    _elsewhere(register, make)
    login_as("caseworker", locale="fr")
    body = client.post("/people/new", data=GOOD).get_data(as_text=True)
    assert "Un doublon possible est enregistré sur un autre site" in body


def test_in_scope_match_still_shows_the_case(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    existing = register(worker, phone="+237 699 55 44 33")
    body = client.post("/people/new", data=GOOD).get_data(as_text=True)
    assert existing.case_number in body and NOTICE not in body
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Notification))


def test_supervisor_notification_leads_to_the_case(client, login_as, register, make, db):
    other, supervisor, _ = _elsewhere(register, make)
    login_as("caseworker", locale="en")
    client.post("/people/new", data=GOOD)
    client.post("/logout")
    login_as(supervisor)
    assert client.get("/referrals/notifications").status_code == 200
    note = db.session.scalar(sa.select(Notification))
    opened = client.post(f"/referrals/notifications/{note.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(
        f"/people/{other.id}")


def test_the_check_is_audited_with_a_label(client, login_as, db):
    login_as("caseworker", locale="en")
    client.post("/people/new", data=GOOD)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.duplicate_checked")) == 1
    assert "people.duplicate_checked" in ACTIONS


def test_registration_is_rate_limited_per_user(app, client, login_as, make, monkeypatch):
    monkeypatch.setitem(app.config, "ICRS_REGISTER_RATE_LIMIT", "3 per hour")
    limiter.reset()
    login_as("caseworker", locale="en")
    people = [("Moussa", "Abakar"), ("Ibrahim", "Wandala"), ("Youssouf", "Ngoura"),
              ("Souleymane", "Tchari")]  # not one another's duplicates (names differ)
    statuses = [client.post("/people/new", data={**GOOD, "phone": f"699 55 44 0{i}",
                                                 "id_number": f"DDR-{i}", "first_name": first,
                                                 "last_name": last}).status_code
                for i, (first, last) in enumerate(people)]
    assert statuses == [302, 302, 302, 429]
    assert client.post("/people/new", data={}).status_code == 429
    limiter.reset()

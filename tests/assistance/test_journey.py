"""The issue's "done when", through the pages: a caseworker proposes a kit for a planned case, a
supervisor approves it, two instalments are handed over with receipts (a thumbprint with its
witness, then a signature drawn on screen), one is drawn and spot-checked, and the dashboard,
the donor file and the finance reconciliation show it; the same person registered again at
another site cannot be approved the same kit.

Four other men of Méri received the same kit (set up through the services) so that the
committed and disbursed amounts rest on five people and are shown; the verified amount rests on
one person and is shown in its suppressed form."""
import csv
import datetime as dt
import io

import sqlalchemy as sa

from icrs.assistance import ledger, services
from icrs.assistance.models import (
    AssistanceKind,
    Entitlement,
    Handover,
    ProgrammePeriod,
    SpotCheck,
)
from icrs.assistance.states import EntitlementStatus as S
from icrs.core.timeutil import today
from icrs.dashboard.suppression import HIDDEN, MASK
from tests.assistance.test_signature import _png, _url

IDENTITY = {"first_name": "Ibrahim", "last_name": "Goni", "id_number": "CNI-DOUBLE-1",
            "birth_date": dt.date(1988, 7, 14), "birth_year": 1988}
OTHERS = (("Adamou", "Hamadou", 1979), ("Oumarou", "Djibrilla", 1983),
          ("Abakar", "Mahamat", 1992), ("Yaya", "Souleymane", 1996))
KIT_ITEMS = "4 | Chèvre | Goat\n1 | Enclos | Pen"


def _as(client, login_as, user):
    """Sign out whoever is signed in, then sign `user` in."""
    client.post("/logout")
    return login_as(user)


def _fresh(db, entitlement):
    db.session.expire_all()
    return db.session.get(Entitlement, entitlement.id)


def _csv(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _propose(client, person, kit):
    return client.post(f"/assistance/people/{person.id}/entitlements", data={
        "ent-assistance_type_id": str(kit.id), "ent-amount": "100000",
        "ent-justification": "Goat rearing with his wife's family in Méri."})


def _approve(client, entitlement):
    req = services.pending_request(entitlement)
    return client.post(f"/approvals/{req.id}/approve",
                       data={"comment": "", "row_version": str(req.version)})


def _hand_over(client, entitlement, value, items, **receipt):
    prefix = f"ho-{entitlement.id.hex[:8]}-"
    goat, pen = entitlement.assistance_type.items
    data = {"handed_on": today().isoformat(), "site_id": str(entitlement.person.site_id),
            "value": str(value), "row_version": str(entitlement.version), **receipt,
            "item-" + str(goat.id): str(items[0]), "item-" + str(pen.id): str(items[1])}
    return client.post(f"/assistance/entitlements/{entitlement.id}/handovers",
                       data={prefix + k: v for k, v in data.items()},
                       content_type="multipart/form-data")


def _others_received_the_kit(db, register, worker, supervisor, kit, propose, approve):
    """Four more men of Méri, each handed the whole kit (100,000 XAF) in one line."""
    for first, last, year in OTHERS:
        person = register(first_name=first, last_name=last, id_number=f"CNI-{year}-{first}",
                          birth_date=dt.date(year, 2, 11), birth_year=year)
        entitlement = approve(propose(person, kit, 100000), supervisor)
        goat, pen = kit.items
        ledger.record_handover(worker, entitlement, {
            "handed_on": today(), "site_id": person.site_id, "value": 100000,
            "items": {goat.id: 4, pen.id: 1}, "receipt_method": "thumbprint",
            "witness_name": "Lawan du quartier"})
        db.session.commit()


def _proposed_and_approved(client, login_as, db, worker, supervisor, person, kit):
    _as(client, login_as, worker)
    assert "Propose assistance" in client.get(f"/people/{person.id}").get_data(as_text=True)
    assert _propose(client, person, kit).status_code == 302
    entitlement = db.session.scalar(sa.select(Entitlement))
    assert entitlement.status == S.REQUESTED and entitlement.plan_id is not None
    _as(client, login_as, supervisor)
    assert person.case_number in client.get("/approvals/").get_data(as_text=True)
    assert _approve(client, entitlement).status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.status == S.APPROVED and entitlement.approved_by_id == supervisor.id
    return entitlement


def _two_instalments(client, login_as, db, worker, entitlement):
    _as(client, login_as, worker)
    first = _hand_over(client, entitlement, 60000, (4, 0), receipt_method="thumbprint",
                       witness_name="Bakari Mal, chef de quartier")
    assert first.status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.status == S.PARTLY_DISBURSED and entitlement.remaining == 40000
    second = _hand_over(client, entitlement, 40000, (0, 1), receipt_method="screen_signature",
                        signature=_url(_png()))
    assert second.status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.status == S.DISBURSED and entitlement.remaining == 0
    page = client.get(f"/people/{entitlement.person_id}").get_data(as_text=True)
    assert "Fully disbursed" in page and "Bakari Mal, chef de quartier" in page
    assert "Signed on screen" in page and ">Signature</a>" in page
    return entitlement


def _spot_checked(client, login_as, db, supervisor, entitlement):
    _as(client, login_as, supervisor)
    response = client.post("/assistance/verification/draw", data={"since_days": "30"})
    assert response.status_code == 302
    check = db.session.scalar(sa.select(SpotCheck))  # at least one of the two: the rate is 10 %
    assert check.assigned_to_id == supervisor.id and check.person_id == entitlement.person_id
    assert client.get(f"/assistance/spot-checks/{check.id}").status_code == 200
    response = client.post(f"/assistance/spot-checks/{check.id}", data={
        "receipt": "confirmed", "goods_use": "in_use", "note": "Four goats in the pen.",
        "row_version": str(check.version)})
    assert response.status_code == 302
    entitlement = _fresh(db, entitlement)
    assert entitlement.status == S.VERIFIED
    page = client.get(f"/people/{entitlement.person_id}").get_data(as_text=True)
    assert "Spot-check: receipt confirmed" in page
    return entitlement


def _dashboard_shows_it(client):
    period = {"date_from": (today() - dt.timedelta(days=30)).isoformat(),
              "date_to": today().isoformat()}
    page = client.get("/dashboard/assistance", query_string=period)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Goat-rearing kit" in text
    assert "500,000" in text  # committed and disbursed: five people × 100,000 XAF

    donor = client.get("/dashboard/assistance/donor.csv", query_string=period)
    assert donor.status_code == 200
    lines = _csv(donor)
    tags = lines[1]
    total = next(line for line in lines[2:] if line[1] == "Goat-rearing kit"
                 and line[2] == "Total")
    value = {tag: total[i] for i, tag in enumerate(tags)}
    assert value["#value+committed+xaf"] == "500000"
    assert value["#affected+num+committed"] == "5"
    assert value["#value+disbursed+xaf"] == "500000"
    verified = [v for tag, v in value.items() if "verified" in tag]
    assert sorted(verified) == sorted([HIDDEN, MASK])  # one person: never "100000", "1"


def _reconciliation_shows_it(client, login_as, db, admin, person, source):
    _as(client, login_as, admin)
    response = client.post("/assistance/catalogue/periods/new", data={
        "name": "Phase 1", "starts_on": (today() - dt.timedelta(days=90)).isoformat(),
        "ends_on": (today() + dt.timedelta(days=90)).isoformat()})
    assert response.status_code == 302
    period = db.session.scalar(sa.select(ProgrammePeriod))
    response = client.post("/assistance/reconciliation", data={
        "funding_source_id": str(source.id), "period_id": str(period.id),
        "reason_category": "programme_audit",
        "reason": "Quarterly reconciliation of the IOM grant with the finance unit"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = [line for line in _csv(response) if line and line[0] == person.case_number]
    assert [line[6] for line in lines] == ["60000", "40000", "100000"]  # two lines, a total
    assert lines[0][10] == "Thumbprint, declared with a witness"
    assert lines[1][10] == "Signed on screen"
    assert lines[2][3] == "Total of the entitlement" and lines[2][11] == "100000"
    text = response.get_data(as_text=True)
    assert "Ibrahim" not in text and "Goni" not in text and "Bakari Mal" not in text


def _second_registration_is_blocked(client, login_as, db, make, register, kit):
    other_worker = make.user("caseworker", site=make.site("BDA", region="NO"), locale="en")
    other_supervisor = make.user("supervisor", region="NO", locale="en")
    again = register(actor=other_worker, **IDENTITY)
    _as(client, login_as, other_worker)
    assert _propose(client, again, kit).status_code == 302
    entitlement = db.session.scalar(sa.select(Entitlement).where(
        Entitlement.person_id == again.id))
    _as(client, login_as, other_supervisor)
    response = _approve(client, entitlement)
    assert response.status_code == 400
    assert "may be the same person" in response.get_data(as_text=True)
    assert _fresh(db, entitlement).status == S.REQUESTED and entitlement.approved_at is None
    page = client.get(f"/people/{again.id}").get_data(as_text=True)
    assert "Possible double entitlement" in page


def test_done_when_journey(client, login_as, db, make, admin, worker, supervisor, register,
                           make_type, source, propose, approve):
    kit = make_type("goat_kit", kind=AssistanceKind.KIT.value, name_en="Goat-rearing kit",
                    name_fr="Kit d’élevage de chèvres", unit_value=100000,
                    cap_per_person=100000, items=KIT_ITEMS)
    person = register(**IDENTITY)  # planned: counselled, with a plan
    entitlement = _proposed_and_approved(client, login_as, db, worker, supervisor, person, kit)
    entitlement = _two_instalments(client, login_as, db, worker, entitlement)
    entitlement = _spot_checked(client, login_as, db, supervisor, entitlement)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Handover)) == 2

    _others_received_the_kit(db, register, worker, supervisor, kit, propose, approve)
    _as(client, login_as, supervisor)
    _dashboard_shows_it(client)
    _reconciliation_shows_it(client, login_as, db, admin, person, source)
    _second_registration_is_blocked(client, login_as, db, make, register, kit)

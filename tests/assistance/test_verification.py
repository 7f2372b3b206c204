"""Spot-check verification: the sample (rate, at least one, only standing unsampled recent lines
of the area), the round-robin assignment, recording a result (verifies a fully disbursed
entitlement; a denied receipt or goods sold is a discrepancy on the case and the dashboard),
every refusal, the audit (codes only), erasure and merge, the command line."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.assistance import ledger, verification
from icrs.assistance.models import Entitlement, Handover, SpotCheck
from icrs.assistance.states import EntitlementStatus as S
from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import today, utcnow
from icrs.crypto import ERASED
from icrs.people import merge
from icrs.people.erasure import erase_person


def _hand_over(db, worker, entitlement, value=50000):
    line = ledger.record_handover(worker, entitlement, {
        "handed_on": today(), "site_id": entitlement.person.site_id, "value": value,
        "receipt_method": "thumbprint", "witness_name": "Kaltoumi Ali"})
    db.session.commit()
    return line


@pytest.fixture
def granted(db, person, grant, propose, approve, supervisor):
    return approve(propose(person, grant, 100000), supervisor)


@pytest.fixture
def drawn(db, worker, supervisor, granted):
    """One handover of half the amount, drawn for a check assigned to `supervisor`."""
    _hand_over(db, worker, granted)
    made = verification.draw_spot_checks(supervisor, 30)
    db.session.commit()
    assert len(made) == 1 and made[0].assigned_to_id == supervisor.id
    return made[0]


NAMES = [("Aminatou", "Oumarou", 1985), ("Ibrahim", "Tchari", 1992), ("Hadjidja", "Mahamat", 1979),
         ("Zakari", "Ngoura", 1996)]


def _people(register, n):
    """People that no duplicate check takes for one another."""
    return [register(first_name=f, last_name=last, birth_date=dt.date(year, 5, 4),
                     birth_year=year) for f, last, year in NAMES[:n]]


def _fresh(db, model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def _count(db, model=SpotCheck):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _audit(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


# --- the sample ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n,rate,size", [(0, 0.1, 0), (1, 0.1, 1), (4, 0.1, 1), (20, 0.1, 2),
                                         (25, 0.1, 2), (3, 1.0, 3), (10, 0.5, 5)])
def test_sample_size_is_the_rate_and_at_least_one(n, rate, size):
    assert verification.sample_size(n, rate) == size


def test_draw_takes_only_standing_unsampled_recent_lines_of_the_area(
        app, db, make, monkeypatch, worker, supervisor, register, grant, propose, approve):
    people = _people(register, 4)
    entitlements = [approve(propose(p, grant, 100000), supervisor) for p in people]
    lines = [_hand_over(db, worker, e) for e in entitlements]
    ledger.reverse_handover(worker, lines[0], "Entered twice.")
    lines[1].recorded_at = utcnow() - dt.timedelta(days=40)  # too old
    db.session.commit()
    monkeypatch.setitem(app.config, "ICRS_SPOT_CHECK_RATE", 1.0)
    made = verification.draw_spot_checks(supervisor, 30)
    db.session.commit()
    assert {c.handover_id for c in made} == {lines[2].id, lines[3].id}
    assert verification.draw_spot_checks(supervisor, 30) == []  # never sampled twice
    elsewhere = make.user("supervisor", region=make.region("NO"), locale="en")
    assert verification.draw_spot_checks(elsewhere, 366) == []  # not their area


def test_default_rate_draws_at_least_one(app, db, worker, supervisor, granted):
    _hand_over(db, worker, granted)
    assert app.config["ICRS_SPOT_CHECK_RATE"] == 0.10
    assert len(verification.draw_spot_checks(supervisor, 30)) == 1


def test_checks_go_round_the_region_supervisors(app, db, make, worker, supervisor, register,
                                                grant, propose, approve):
    second = make.user("supervisor", region=worker.site.region, locale="en")
    for someone in _people(register, 4):
        _hand_over(db, worker, approve(propose(someone, grant, 100000), supervisor))
    made = verification.draw_spot_checks(supervisor, 30, fraction=1.0)
    assigned = [c.assigned_to_id for c in made]
    assert sorted(assigned) == sorted([supervisor.id, second.id] * 2)


def test_never_assigned_to_whoever_recorded_the_handover(db, supervisor, worker):
    turns = verification._RoundRobin()
    assert turns.pick(worker.site.region_id, exclude_id=supervisor.id) is None
    assert turns.pick(worker.site.region_id, exclude_id=worker.id).id == supervisor.id


def test_only_a_supervisor_draws_and_days_are_checked(db, worker, supervisor, granted):
    with pytest.raises(AccessDenied):
        verification.draw_spot_checks(worker, 30)
    with pytest.raises(DomainError):
        verification.draw_spot_checks(supervisor, 0)


def test_draw_page_get_changes_nothing_and_post_draws(client, login_as, db, worker, supervisor,
                                                      granted):
    _hand_over(db, worker, granted)
    login_as(supervisor)
    page = client.get("/assistance/verification")
    assert page.status_code == 200 and _count(db) == 0
    assert client.post("/assistance/verification/draw",
                       data={"since_days": "abc"}).status_code == 400
    assert _count(db) == 0
    assert client.post("/assistance/verification/draw",
                       data={"since_days": "30"}).status_code == 302
    assert _count(db) == 1
    [entry] = _audit(db, "assistance.spot_checks_drawn")
    assert '"drawn":1' in entry.details and "Moussa" not in entry.details
    page = client.get("/assistance/verification").get_data(as_text=True)
    assert granted.person.case_number in page and "Record the result" in page


# --- recording ----------------------------------------------------------------------------------
def _post(client, check, **fields):
    data = {"receipt": "confirmed", "goods_use": "in_use", "note": "Le client montre ses outils.",
            "row_version": str(check.version)}
    data.update(fields)
    return client.post(f"/assistance/spot-checks/{check.id}",
                       data={k: v for k, v in data.items() if v is not None})


def test_confirmed_check_verifies_once_fully_disbursed(client, login_as, db, worker, supervisor,
                                                       granted, drawn):
    login_as(supervisor)
    page = client.get(f"/assistance/spot-checks/{drawn.id}")
    assert page.status_code == 200 and _fresh(db, SpotCheck, drawn.id).done_at is None
    assert _post(client, drawn).status_code == 302
    check = _fresh(db, SpotCheck, drawn.id)
    assert check.confirmed and check.note == "Le client montre ses outils."
    assert check.note_ct != b"Le client montre ses outils."
    assert _fresh(db, Entitlement, granted.id).status == S.PARTLY_DISBURSED
    _hand_over(db, worker, _fresh(db, Entitlement, granted.id))  # the rest: verified at once
    assert _fresh(db, Entitlement, granted.id).status == S.VERIFIED
    [entry] = _audit(db, "assistance.spot_check_recorded")
    assert '"receipt":"confirmed"' in entry.details and "outils" not in entry.details


def test_reversing_the_checked_line_undoes_the_verification(db, worker, supervisor, granted,
                                                            drawn):
    verification.record_spot_check(supervisor, drawn, "confirmed", "in_use")
    second = _hand_over(db, worker, _fresh(db, Entitlement, granted.id))
    assert _fresh(db, Entitlement, granted.id).status == S.VERIFIED
    ledger.reverse_handover(worker, second, "Wrong amount.")
    db.session.commit()
    assert _fresh(db, Entitlement, granted.id).status == S.PARTLY_DISBURSED
    ledger.reverse_handover(worker, _fresh(db, Handover, drawn.handover_id), "Wrong case.")
    db.session.commit()
    entitlement = _fresh(db, Entitlement, granted.id)
    assert entitlement.status == S.APPROVED and entitlement.disbursed == 0
    _hand_over(db, worker, entitlement, 100000)
    assert _fresh(db, Entitlement, granted.id).status == S.DISBURSED  # its check is gone


def test_discrepancy_flags_the_case_and_the_dashboard(client, login_as, db, worker, supervisor,
                                                      granted, drawn):
    login_as(supervisor)
    assert _post(client, drawn, receipt="confirmed", goods_use="sold_or_lost").status_code == 302
    check = _fresh(db, SpotCheck, drawn.id)
    assert check.discrepancy and _fresh(db, Entitlement, granted.id).status == S.PARTLY_DISBURSED
    page = client.get("/assistance/verification").get_data(as_text=True)
    assert "1 spot-check found a discrepancy" in page
    board = client.get("/dashboard/").get_data(as_text=True)
    assert "1 assistance spot-check found a discrepancy" in board
    client.post("/logout")
    login_as(worker)
    case = client.get(f"/people/{granted.person_id}").get_data(as_text=True)
    assert "Spot-check discrepancy" in case and "Sold or lost" in case


def test_denied_receipt_is_a_discrepancy(db, supervisor, drawn):
    verification.record_spot_check(supervisor, drawn, "denied", "not_applicable")
    assert drawn.discrepancy and not drawn.confirmed


def test_monitoring_dashboard_count_is_suppressed(client, login_as, db, make, worker, supervisor,
                                                  drawn):
    verification.record_spot_check(supervisor, drawn, "denied", "not_applicable")
    db.session.commit()
    login_as("monitoring", region=worker.site.region, locale="en")
    board = client.get("/dashboard/").get_data(as_text=True)
    assert "Fewer than 5 assistance spot-checks found a discrepancy." in board
    assert "1 assistance spot-check" not in board


def test_refusals(client, login_as, db, make, worker, supervisor, drawn):
    url = f"/assistance/spot-checks/{drawn.id}"
    login_as(make.user("supervisor", region=make.region("NO"), locale="en"))
    assert client.get(url).status_code == 404 and _post(client, drawn).status_code == 404
    client.post("/logout")
    login_as(make.user("supervisor", region=worker.site.region, locale="en"))  # not assigned
    assert client.get(url).status_code == 403 and _post(client, drawn).status_code == 403
    client.post("/logout")
    login_as(worker)
    assert client.get(url).status_code == 403 and _post(client, drawn).status_code == 403
    assert client.get("/assistance/verification").status_code == 403
    assert client.post("/assistance/verification/draw",
                       data={"since_days": "30"}).status_code == 403
    client.post("/logout")
    login_as("monitoring", region=worker.site.region)
    assert _post(client, drawn).status_code == 403
    assert _fresh(db, SpotCheck, drawn.id).done_at is None
    assert not _audit(db, "assistance.spot_check_recorded")


def test_bad_input_is_refused_at_the_field(client, login_as, db, supervisor, drawn):
    login_as(supervisor)
    response = _post(client, drawn, receipt=None)
    assert response.status_code == 400
    assert "Say whether the person confirms receipt." in response.get_data(as_text=True)
    assert _post(client, drawn, goods_use="lost_somewhere").status_code == 400
    assert _post(client, drawn, note="x" * 1001).status_code == 400
    assert _fresh(db, SpotCheck, drawn.id).done_at is None


def test_recording_twice_is_refused(client, login_as, db, supervisor, drawn):
    login_as(supervisor)
    assert _post(client, drawn).status_code == 302
    again = _post(client, _fresh(db, SpotCheck, drawn.id), receipt="denied")
    assert again.status_code == 409
    assert _fresh(db, SpotCheck, drawn.id).receipt.value == "confirmed"
    with pytest.raises(ConflictError):
        verification.record_spot_check(supervisor, _fresh(db, SpotCheck, drawn.id), "denied",
                                       "in_use")


# --- erasure, merge, command line ---------------------------------------------------------------
def test_erasure_shreds_the_note(db, admin, supervisor, person, drawn):
    verification.record_spot_check(supervisor, drawn, "confirmed", "in_use", "Vu à son atelier.")
    db.session.commit()
    erase_person(admin, person)
    db.session.commit()
    check = _fresh(db, SpotCheck, drawn.id)
    assert check.note is ERASED and check.receipt.value == "confirmed"
    assert verification.waiting_for(supervisor) == []


def test_merge_carries_the_spot_checks(db, supervisor, register, person, drawn):
    verification.record_spot_check(supervisor, drawn, "confirmed", "in_use", "Vu à son atelier.")
    survivor = _people(register, 1)[0]
    merge.merge_people(supervisor, survivor, person)
    db.session.commit()
    check = _fresh(db, SpotCheck, drawn.id)
    assert check.person_id == survivor.id and check.note == "Vu à son atelier."


def test_command_line_draws(app, db, worker, supervisor, granted):
    _hand_over(db, worker, granted)
    result = app.test_cli_runner().invoke(args=["icrs", "assistance", "draw-spot-checks",
                                                "--since", "7"])
    assert result.exit_code == 0, result.output
    assert "1 spot-checks drawn." in result.output
    check = db.session.scalar(sa.select(SpotCheck))
    assert check.assigned_to_id == supervisor.id and check.drawn_by_id is None
    bad = app.test_cli_runner().invoke(args=["icrs", "assistance", "draw-spot-checks",
                                             "--region", "ZZ"])
    assert bad.exit_code != 0

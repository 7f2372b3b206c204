"""The lists programmes adapt: the registry, the audited changes, the admin pages, and a form
and a dashboard reading them."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from icrs import lookups
from icrs.audit.models import AuditEntry
from icrs.core.errors import DomainError
from icrs.lookups import registry, services
from icrs.lookups.models import LookupEntry
from icrs.people.states import Stage


@pytest.fixture
def ctx(app, db):
    with app.test_request_context():
        yield


@pytest.fixture
def admin(make, db):
    user = make.user("admin")
    db.session.commit()
    return user


def _actions(db):
    return [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq))]


def _add(admin, key, code, fr="Pêche au filet", en="Net fishing", position=5):
    return services.add_entry(admin, lookups.vocabulary(key), code, fr, en, position)


def test_registry_reads_the_declared_entries_without_rows(ctx):
    assert ("dropped_out", "Abandon") in lookups.choices("exit_reason")
    assert lookups.is_valid("pathway", "small_business")
    assert not lookups.is_valid("pathway", "bored")


def test_label_in_french_and_english_and_unknown_code(ctx):
    with force_locale("fr"):
        assert lookups.label("skill", "tailoring") == "Couture"
    with force_locale("en"):
        assert lookups.label("skill", "tailoring") == "Tailoring"
    assert lookups.label("skill", "deep_sea_diving") == "Deep sea diving"
    assert lookups.label("skill", None) == ""


def test_add_entry_offered_in_order_and_audited(ctx, db, admin):
    _add(admin, "skill", "net_fishing")
    db.session.commit()
    registry.forget()
    codes = lookups.codes("skill")
    assert codes[0] == "net_fishing" and "tailoring" in codes  # the declared ones became rows
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LookupEntry)) == 19
    with force_locale("en"):
        assert lookups.label("skill", "net_fishing") == "Net fishing"
    assert _actions(db) == ["lookups.entry_added"]


def test_retired_code_stays_valid_for_old_records_only(ctx, db, admin):
    vocab = lookups.vocabulary("skill")
    services.set_active(admin, vocab, services.get_entry(vocab, "welding"), False)
    db.session.commit()
    assert "welding" not in lookups.codes("skill")
    assert not lookups.is_valid("skill", "welding")
    assert lookups.is_valid("skill", "welding", allow_retired=True)
    assert ("welding", "Soudure") not in lookups.choices("skill")
    assert ("welding", "Soudure") in lookups.choices("skill", keep=["welding"])
    assert lookups.label("skill", "welding") == "Soudure"
    services.set_active(admin, vocab, services.get_entry(vocab, "welding"), True)
    assert "welding" in lookups.codes("skill")
    assert _actions(db) == ["lookups.entry_retired", "lookups.entry_reactivated"]


@pytest.mark.parametrize("code", ["Fishing", "pêche", "net-fishing", "1abc", "", "a" * 33])
def test_bad_codes_refused(ctx, db, admin, code):
    with pytest.raises(DomainError) as err:
        _add(admin, "skill", code)
    assert err.value.field == "code"


def test_code_never_given_twice_even_when_retired(ctx, db, admin):
    vocab = lookups.vocabulary("armed_group")
    services.set_active(admin, vocab, services.get_entry(vocab, "militia"), False)
    with pytest.raises(DomainError) as err:
        _add(admin, "armed_group", "militia")
    assert err.value.field == "code"


def test_fixed_and_protected_entries(ctx, db, admin):
    outcome, decline = lookups.vocabulary("outcome"), lookups.vocabulary("decline_reason")
    with pytest.raises(DomainError):
        _add(admin, "outcome", "moved_away")
    with pytest.raises(DomainError):
        services.set_active(admin, outcome, services.get_entry(outcome, "no_show"), False)
    with pytest.raises(DomainError):
        services.set_active(admin, decline, services.get_entry(decline, "other"), False)
    entry = services.update_entry(admin, outcome, services.get_entry(outcome, "no_show"),
                                  "Absent au rendez-vous", "Missed the appointment", 10)
    assert entry.label_fr == "Absent au rendez-vous"
    with force_locale("fr"):
        from icrs.referrals.states import Outcome
        assert Outcome.NO_SHOW.label == "Absent au rendez-vous"  # the state machine's messages


def test_admin_pages(client, login_as, db, admin):
    login_as(admin)
    assert client.get("/admin/lists/").status_code == 200
    page = client.get("/admin/lists/skill")
    assert page.status_code == 200 and "Couture" in page.get_data(as_text=True)
    assert client.get("/admin/lists/nothing").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LookupEntry)) == 0  # GET
    response = client.post("/admin/lists/skill/new", data={
        "code": "net_fishing", "label_fr": "Pêche au filet", "label_en": "Net fishing",
        "position": "5"})
    assert response.status_code == 302
    response = client.post("/admin/lists/skill/tailoring", data={
        "label_fr": "Couture et broderie", "label_en": "Tailoring", "position": "20"})
    assert response.status_code == 302
    response = client.post("/admin/lists/skill/tailoring/active", data={"active": "0"})
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(LookupEntry).filter_by(vocabulary="skill",
                                                               code="tailoring"))
    assert entry.label_fr == "Couture et broderie" and not entry.active
    assert _actions(db)[-3:] == ["lookups.entry_added", "lookups.entry_updated",
                                 "lookups.entry_retired"]


def test_admin_bad_input_is_400_at_the_field_and_writes_nothing(client, login_as, db, admin):
    login_as(admin)
    response = client.post("/admin/lists/skill/new", data={
        "code": "Net Fishing", "label_fr": "Pêche", "label_en": "Fishing"})
    assert response.status_code == 400
    assert "Utilisez des lettres minuscules" in response.get_data(as_text=True)
    response = client.post("/admin/lists/skill/new", data={
        "code": "tailoring", "label_fr": "Couture", "label_en": "Tailoring"})
    assert response.status_code == 400
    response = client.post("/admin/lists/skill/new", data={"code": "ok", "label_fr": "",
                                                           "label_en": "x"})
    assert response.status_code == 400
    assert client.post("/admin/lists/outcome/new", data={"code": "x", "label_fr": "x",
                                                         "label_en": "x"}).status_code == 404
    assert client.post("/admin/lists/decline_reason/other/active",
                       data={"active": "0"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LookupEntry)) == 0
    assert _actions(db).count("lookups.entry_added") == 0


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "provider"])
def test_other_roles_refused(client, login_as, db, role):
    login_as(role)
    assert client.get("/admin/lists/").status_code == 403
    assert client.get("/admin/lists/skill").status_code == 403
    assert client.post("/admin/lists/skill/new", data={
        "code": "x", "label_fr": "x", "label_en": "x"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LookupEntry)) == 0


def _exit(client, person, reason):
    return client.post(f"/people/{person.id}/stage", data={
        "stage-target": "exited", "stage-reason": reason})


def test_stage_form_offers_a_new_exit_reason_and_refuses_a_retired_one(
        app, client, login_as, make, db, admin):
    worker = make.user("caseworker")
    first, second = make.person(actor=worker), make.person(actor=worker)
    with app.test_request_context():
        _add(admin, "exit_reason", "joined_army", "A rejoint l’armée", "Joined the army")
        vocab = lookups.vocabulary("exit_reason")
        services.set_active(admin, vocab, services.get_entry(vocab, "deceased"), False)
    db.session.commit()
    login_as(worker)
    page = client.get(f"/people/{first.id}").get_data(as_text=True)
    assert "A rejoint l’armée" in page and "Décédé(e)" not in page
    assert _exit(client, first, "deceased").status_code == 400
    assert _exit(client, second, "joined_army").status_code == 302
    db.session.expire_all()
    assert second.stage == Stage.EXITED and first.stage != Stage.EXITED


def test_dashboard_and_timeline_label_a_retired_code(ctx, db, admin):
    from icrs.dashboard.queries import _lookup_rows
    from icrs.people.timeline import reason_label

    vocab = lookups.vocabulary("exit_reason")
    services.set_active(admin, vocab, services.get_entry(vocab, "transferred_out"), False)
    rows = {b.key: b.label for b in _lookup_rows("exit_reason")}
    assert rows["transferred_out"] == "Transféré"
    assert reason_label("transferred_out") == "Transféré"


def test_audit_detail_labels_read_the_lists(ctx):
    from icrs.audit.detail_labels import value_label

    assert str(value_label("reason", "dropped_out")) == "Abandon"
    assert str(value_label("vocabulary", "skill")) == "Compétences"
    assert str(value_label("changed", "label_fr")) == "Libellé français"

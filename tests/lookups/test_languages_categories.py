"""Languages and service categories are lists administrators adapt: ISO 639 codes for
languages (the English label is the HSDS name), service categories retired but never deleted;
both offered through the registry, kept on old records, audited, admin only."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from icrs import lookups
from icrs.audit.models import AuditEntry
from icrs.core.errors import DomainError
from icrs.core.vocab import language_label, language_name
from icrs.directory.exporter import export_directory
from icrs.directory.importer import import_directory
from icrs.directory.interop import TaxonomyMap, TaxonomyMapError
from icrs.directory.models import Service, TaxonomyTerm
from icrs.directory.taxonomy import SERVICE_CATEGORY, ensure_taxonomy, term_uuid
from icrs.lookups import registry, services
from icrs.lookups.models import LookupEntry
from tests.directory.conftest import make_service, places  # noqa: F401 - fixtures
from tests.directory.hsds_check import assert_valid


@pytest.fixture
def ctx(app, db):
    with app.test_request_context():
        yield


@pytest.fixture
def admin(make, db):
    user = make.user("admin")
    db.session.commit()
    return user


@pytest.fixture
def taxonomy(db):
    ensure_taxonomy()
    db.session.commit()


def _actions(db):
    return [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq))]


def _set(admin, key, code, active):
    vocab = lookups.vocabulary(key)
    services.set_active(admin, vocab, services.get_entry(vocab, code), active)


def _service_form(service=None, **kw):
    data = {"name": "Tailoring Méri", "category": "vocational_training", "status": "active",
            "description": "x", "sexes": ["female", "male"], "categories": ["adult_man"],
            "referral_method": "icrs", "languages": ["fr"]}
    if service is not None:
        data.update(name=service.name, category=service.category.code,
                    organisation_id=str(service.organisation_id),
                    languages=[lang.code for lang in service.languages])
    data.update(kw)
    return data


# --- languages ------------------------------------------------------------------------------
def test_added_language_is_offered_labelled_and_named_for_hsds(ctx, db, admin):
    services.add_entry(admin, lookups.vocabulary("language"), "bas", "bassa", "Basaa", 95)
    db.session.commit()
    assert "bas" in lookups.codes("language") and "wes" in lookups.codes("language")
    with force_locale("fr"):
        assert language_label("bas") == "bassa"
    with force_locale("en"):
        assert language_label("bas") == "Basaa"
    with force_locale("fr"):
        assert language_name("bas") == "Basaa" and language_name("wes") == "Cameroonian Pidgin"
    assert language_label("pcm") == language_label("wes")  # the legacy spelling
    assert _actions(db) == ["lookups.entry_added"]


@pytest.mark.parametrize("code", ["Basaa", "b", "basa", "ba1", "b_a", "bàs"])
def test_language_code_must_be_iso_639(ctx, db, admin, code):
    with pytest.raises(DomainError) as err:
        services.add_entry(admin, lookups.vocabulary("language"), code, "x", "x", 1)
    assert err.value.field == "code"


def test_other_and_existing_codes_stay(ctx, db, admin):
    vocab = lookups.vocabulary("language")
    with pytest.raises(DomainError):
        _set(admin, "language", "other", False)  # people answer "other"
    with pytest.raises(DomainError) as err:
        services.add_entry(admin, vocab, "wes", "x", "x", 1)
    assert err.value.field == "code"


def test_retired_language_kept_on_the_person_not_offered_to_others(
        client, login_as, make, db, admin, app):
    worker = make.user("caseworker")
    speaker = make.person(actor=worker, languages=["mfh", "fr"])
    other = make.person(actor=worker)
    with app.test_request_context():
        _set(admin, "language", "mfh", False)
    db.session.commit()
    login_as(worker)
    assert "matal" not in client.get("/people/new").get_data(as_text=True)
    page = client.get(f"/people/{speaker.id}/edit").get_data(as_text=True)
    assert 'value="mfh" checked' in page.replace("\n", " ") or (
        'value="mfh"' in page and "matal" in page)
    form = client.get(f"/people/{other.id}/edit")
    assert "matal" not in form.get_data(as_text=True)
    assert "lookups.entry_retired" in _actions(db)


def test_service_languages_never_offer_other_and_retired_stays_on_the_service(
        client, login_as, db, admin, app, make, make_service, places):  # noqa: F811
    org = make.organisation("Centre de Méri")
    service = make_service(org, "Matal literacy", category="literacy")
    from icrs.directory.details import ServiceLanguage
    service.languages = [ServiceLanguage(code="mfh", name="Matal")]
    with app.test_request_context():
        _set(admin, "language", "mfh", False)
    db.session.commit()
    login_as("admin")
    new = client.get("/directory/services/new").get_data(as_text=True)
    assert 'value="mfh"' not in new and 'value="other"' not in new and 'value="wes"' in new
    assert 'value="mfh"' in client.get(f"/directory/services/{service.id}/edit").get_data(
        as_text=True)
    detail = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "matal" in detail  # the label (French), the HSDS name stays in the export
    response = client.post("/directory/services/new", data=_service_form(
        organisation_id=str(org.id), languages=["mfh"]))
    assert response.status_code == 400
    assert not db.session.scalar(sa.select(Service).where(Service.name == "Tailoring Méri"))
    response = client.post(f"/directory/services/{service.id}/edit",
                           data=_service_form(service, description="kept"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert [lang.code for lang in db.session.get(Service, service.id).languages] == ["mfh"]
    exported = export_directory()
    svc = next(s for s in exported["services"] if s["id"] == str(service.id))
    assert_valid(svc, "service")
    assert svc["languages"][0]["name"] == "Matal"


# --- service categories ---------------------------------------------------------------------
def test_category_added_through_the_lists_pages_is_a_taxonomy_term(
        client, login_as, db, admin, taxonomy):
    login_as(admin)
    page = client.get("/admin/lists/")
    assert "/admin/lists/service_category" in page.get_data(as_text=True)
    assert "Santé mentale" in client.get("/admin/lists/service_category").get_data(as_text=True)
    response = client.post("/admin/lists/service_category/new", data={
        "code": "sport", "label_fr": "Sport et loisirs", "label_en": "Sport and leisure",
        "position": "175"})
    assert response.status_code == 302
    term = db.session.get(TaxonomyTerm, term_uuid(SERVICE_CATEGORY, "sport"))
    assert term.name_fr == "Sport et loisirs" and term.active and term.position == 175
    response = client.post("/admin/lists/service_category/sport", data={
        "label_fr": "Sport", "label_en": "Sport", "position": "5"})
    assert response.status_code == 302
    db.session.expire_all()
    term = db.session.get(TaxonomyTerm, term.id)
    assert (term.name_en, term.description_en, term.position) == ("Sport", "Sport", 5)
    assert 'value="sport"' in client.get("/directory/services/new").get_data(as_text=True)
    data = export_directory()
    exported = next(t for t in data["taxonomy_terms"] if t["code"] == "sport")
    assert_valid(exported, "taxonomy_term")
    assert _actions(db)[-2:] == ["lookups.entry_added", "lookups.entry_updated"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LookupEntry)) == 0


def test_retired_category_stays_on_its_services_and_is_given_to_no_other(
        client, login_as, db, admin, app, make, make_service, places):  # noqa: F811
    org = make.organisation("Centre de Méri")
    service = make_service(org, "Community works", category="labour_intensive_works")
    db.session.commit()
    login_as(admin)
    response = client.post("/admin/lists/service_category/labour_intensive_works/active",
                           data={"active": "0"})
    assert response.status_code == 302
    assert not db.session.get(TaxonomyTerm, service.category_id).active
    new = client.get("/directory/services/new").get_data(as_text=True)
    assert 'value="labour_intensive_works"' not in new
    edit = client.get(f"/directory/services/{service.id}/edit").get_data(as_text=True)
    assert 'value="labour_intensive_works"' in edit
    assert "Travaux à haute intensité" in client.get(
        f"/directory/services/{service.id}").get_data(as_text=True)
    search = client.get("/directory/?category=labour_intensive_works")
    assert search.status_code == 200 and "Community works" in search.get_data(as_text=True)
    response = client.post("/directory/services/new", data=_service_form(
        organisation_id=str(org.id), category="labour_intensive_works"))
    assert response.status_code == 400
    assert not db.session.scalar(sa.select(Service).where(Service.name == "Tailoring Méri"))
    response = client.post(f"/directory/services/{service.id}/edit",
                           data=_service_form(service, description="still here"))
    assert response.status_code == 302
    with app.test_request_context():
        assert "labour_intensive_works" not in dict(lookups.choices("service_category"))
        assert lookups.is_valid("service_category", "labour_intensive_works",
                                allow_retired=True)
    assert _actions(db).count("lookups.entry_retired") == 1


def test_retired_category_refused_for_new_services_in_an_hsds_import(
        ctx, db, admin, make, make_service, places):  # noqa: F811
    org = make.organisation("Centre de Méri")
    service = make_service(org, "Shelter Méri", category="shelter")
    db.session.commit()
    data = export_directory()
    _set(admin, "service_category", "shelter", False)
    db.session.commit()
    assert import_directory(data).ok  # the service that has it keeps it
    db.session.rollback()
    copy = dict(data["services"][0], id="0b9a6c1e-4a8e-4a57-9d39-3c7a1f2b5e11",
                name="Another shelter")
    copy["attributes"] = [dict(a, id=f"{a['id'][:-4]}beef", link_id=copy["id"])
                          for a in copy["attributes"]]
    for key in ("languages", "phones", "contacts", "schedules", "service_at_locations",
                "required_documents", "cost_options", "service_areas"):
        copy.pop(key, None)
    result = import_directory(dict(data, services=[copy]))
    assert not result.ok
    assert any("retired" in message for _path, message in result.errors), result.errors
    db.session.rollback()
    assert db.session.get(Service, service.id).category.code == "shelter"
    with pytest.raises(TaxonomyMapError, match="retired"):
        TaxonomyMap.from_dict({"default": "shelter"})
    assert TaxonomyMap.from_dict({"default": "health"}).default == "health"


def test_retired_category_takes_no_new_referral(
        ctx, db, admin, make, make_service, places):  # noqa: F811
    from icrs.referrals.services import create_referral

    worker = make.user("caseworker")
    person = make.person(actor=worker, consent_to=("gbv",))
    service = make_service(make.organisation("GBV centre"), "GBV Méri", category="gbv")
    _set(admin, "service_category", "gbv", False)
    with pytest.raises(DomainError) as err:
        create_referral(worker, person, service, {"reason": "Needs support"})
    assert err.value.field == "service_id"
    with force_locale("en"):
        assert registry.label("service_category", "gbv") == "Gender-based violence services"


# --- refusals -------------------------------------------------------------------------------
def test_bad_input_is_400_at_the_field_and_writes_nothing(client, login_as, db, admin,
                                                           taxonomy):
    login_as(admin)
    response = client.post("/admin/lists/language/new", data={
        "code": "Basaa", "label_fr": "bassa", "label_en": "Basaa"})
    assert response.status_code == 400
    assert "ISO 639" in response.get_data(as_text=True)
    response = client.post("/admin/lists/service_category/new", data={
        "code": "health", "label_fr": "Santé", "label_en": "Health"})
    assert response.status_code == 400
    assert "jamais donné deux fois" in response.get_data(as_text=True)
    response = client.post("/admin/lists/service_category/new", data={
        "code": "sport", "label_fr": "", "label_en": "Sport"})
    assert response.status_code == 400
    assert client.post("/admin/lists/language/other/active",
                       data={"active": "0"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LookupEntry)) == 0
    assert db.session.get(TaxonomyTerm, term_uuid(SERVICE_CATEGORY, "sport")) is None
    assert "lookups.entry_added" not in _actions(db)


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "provider"])
def test_other_roles_refused(client, login_as, db, taxonomy, role):
    login_as(role)
    for key in ("language", "service_category"):
        assert client.get(f"/admin/lists/{key}").status_code == 403
        assert client.post(f"/admin/lists/{key}/new", data={
            "code": "xx", "label_fr": "x", "label_en": "x"}).status_code == 403
    assert client.post("/admin/lists/service_category/health/active",
                       data={"active": "0"}).status_code == 403
    assert db.session.get(TaxonomyTerm, term_uuid(SERVICE_CATEGORY, "health")).active
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LookupEntry)) == 0

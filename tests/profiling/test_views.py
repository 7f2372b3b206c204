"""Profile pages for each role, the sensitive sections, concurrent edits and bad input."""
import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.auth.roles import PERMISSIONS, Role
from icrs.profiling.models import ProfileVersion
from icrs.profiling.queries import get_draft
from tests.profiling.conftest import COMPLETE, form_data


def _url(person, tail=""):
    return f"/people/{person.id}/profile{tail}"


def _actions(db):
    return [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq))]


def _row_version(db, person):
    db.session.expire_all()
    draft = get_draft(person)
    return draft.version if draft else 0


# --- who may see and do what ---------------------------------------------------------------------
def test_assigned_caseworker_edits_and_submits(client, login_as, db, caseworker, person):
    login_as(caseworker)
    page = client.get(_url(person, "/household"))
    assert page.status_code == 200 and b'name="household_size"' in page.data
    for n, (code, answers) in enumerate(COMPLETE.items()):
        response = client.post(_url(person, f"/{code}"), data=form_data(answers, n))
        assert response.status_code == 302, (code, response.data[:2000])
    response = client.post(_url(person, "/submit"), data={"row_version": str(len(COMPLETE))})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(ProfileVersion.number)) == 1
    overview = client.get(_url(person)).get_data(as_text=True)
    assert "Security threat" in overview and "Version 1" in overview
    assert client.get(_url(person, "/versions/1")).status_code == 200
    case = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Female head of household" in case and "Small business" in case


def test_caseworker_same_site_not_assigned_reads_only(client, login_as, make, db, person,
                                                      caseworker, fill):
    fill(caseworker, person, sections=["household"])
    login_as(make.user("caseworker", site="MER", locale="en"))
    page = client.get(_url(person, "/household"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'name="household_size"' not in text and "Read only" in text
    assert "Vit avec sa mère" in text  # the stored answer, shown read-only
    assert client.post(_url(person, "/household"),
                       data=form_data(COMPLETE["household"], 1)).status_code == 403
    assert client.post(_url(person, "/submit"), data={"row_version": "1"}).status_code == 403
    assert _row_version(db, person) == 1


def test_caseworker_other_site_gets_404(client, login_as, make, person):
    login_as(make.user("caseworker", site=make.site("MOR", "EN")))
    for tail in ("", "/household", "/association", "/versions/1"):
        assert client.get(_url(person, tail)).status_code == 404, tail
    assert client.post(_url(person, "/household"),
                       data=form_data(COMPLETE["household"])).status_code == 404
    assert client.post(_url(person, "/submit"), data={"row_version": "0"}).status_code == 404


def test_supervisor_in_region_views_everything_but_cannot_edit(client, login_as, make, db,
                                                               caseworker, person, submitted):
    submitted(caseworker, person)
    login_as(make.user("supervisor", region="EN", locale="en"))
    overview = client.get(_url(person)).get_data(as_text=True)
    assert "Association history" in overview and "Security and protection" in overview
    page = client.get(_url(person, "/association"))
    assert page.status_code == 200 and "Kolofata" in page.get_data(as_text=True)
    version = client.get(_url(person, "/versions/1")).get_data(as_text=True)
    assert "Kolofata" in version and "Menaces" in version
    assert client.post(_url(person, "/association"),
                       data=form_data(COMPLETE["association"], 11)).status_code == 403
    assert client.post(_url(person, "/submit"), data={"row_version": "11"}).status_code == 403


def test_national_supervisor_sees_all_regions(client, login_as, make, person):
    login_as(make.user("supervisor"))
    assert client.get(_url(person)).status_code == 200


def test_supervisor_other_region_gets_404(client, login_as, make, person):
    login_as(make.user("supervisor", region=make.region("NW")))
    for tail in ("", "/household", "/versions/1"):
        assert client.get(_url(person, tail)).status_code == 404


@pytest.mark.parametrize("role", ["provider", "admin"])
def test_provider_and_admin_are_refused(client, login_as, db, role, person, caseworker,
                                        submitted):
    submitted(caseworker, person)
    login_as(role)
    for tail in ("", "/household", "/association", "/versions/1"):
        assert client.get(_url(person, tail)).status_code in (403, 404), tail
    assert client.post(_url(person, "/household"),
                       data=form_data(COMPLETE["household"], 11)).status_code in (403, 404)
    assert client.post(_url(person, "/submit"), data={"row_version": "11"}).status_code \
        in (403, 404)


def test_sensitive_sections_hidden_without_the_permission(client, login_as, db, caseworker,
                                                          person, submitted, monkeypatch):
    submitted(caseworker, person)
    monkeypatch.setitem(PERMISSIONS, "people.sensitive", {Role.SUPERVISOR})
    login_as(caseworker)
    overview = client.get(_url(person)).get_data(as_text=True)
    for title in ("Association history", "Security and protection", "Health and disability",
                  "Psychosocial"):
        assert title not in overview
    assert "Security threat" not in overview  # a flag derived from a sensitive section
    for code in ("association", "security", "health", "psychosocial"):
        assert client.get(_url(person, f"/{code}")).status_code == 403
        assert client.post(_url(person, f"/{code}"),
                           data=form_data(COMPLETE[code], 11)).status_code == 403
    version = client.get(_url(person, "/versions/1")).get_data(as_text=True)
    assert "Kolofata" not in version and "Menaces" not in version
    assert "Vit avec sa mère" in version
    assert client.get(_url(person, "/household")).status_code == 200


def test_unknown_section_is_404(client, login_as, caseworker, person):
    login_as(caseworker)
    assert client.get(_url(person, "/income_tax")).status_code == 404
    assert client.get(_url(person, "/versions/3")).status_code == 404


# --- audit --------------------------------------------------------------------------------------
def test_every_view_and_save_is_audited(client, login_as, db, caseworker, person, submitted):
    submitted(caseworker, person)
    login_as(caseworker)
    before = len(_actions(db))
    client.get(_url(person))
    client.get(_url(person, "/association"))
    client.get(_url(person, "/versions/1"))
    client.post(_url(person, "/work"), data=form_data(dict(COMPLETE["work"], has_income="yes"),
                                                      11))
    client.post(_url(person, "/submit"), data={"row_version": "12"})
    actions = [a for a in _actions(db)[before:] if a.startswith("profiling.")]
    assert actions == ["profiling.viewed", "profiling.section_viewed", "profiling.viewed",
                       "profiling.section_saved", "profiling.submitted"]
    details = db.session.scalars(sa.select(AuditEntry.details).where(
        AuditEntry.action.like("profiling.%"))).all()
    assert not any("Kolofata" in d or "Falmata" in d for d in details)


# --- concurrency and bad input -------------------------------------------------------------------
def test_second_concurrent_save_is_refused_with_409(client, login_as, db, caseworker, person):
    login_as(caseworker)
    # two tabs open the section at row version 0; the first save wins
    first = client.post(_url(person, "/household"), data=form_data(COMPLETE["household"], 0))
    assert first.status_code == 302
    second = client.post(_url(person, "/household"),
                         data=form_data(dict(COMPLETE["household"], household_size=9), 0))
    assert second.status_code == 409
    text = second.get_data(as_text=True)
    assert "Someone else saved this profile" in text and 'role="alert"' in text
    db.session.expire_all()
    assert get_draft(person).sections[0].answers["household_size"] == 6
    assert _actions(db).count("profiling.section_saved") == 1


def test_stale_submit_is_refused_with_409(client, login_as, db, caseworker, person, fill):
    fill(caseworker, person)
    login_as(caseworker)
    response = client.post(_url(person, "/submit"), data={"row_version": "3"})
    assert response.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProfileVersion)) == 0


@pytest.mark.parametrize("code, bad, field, message", [
    ("household", {"household_size": "0"}, "household_size", "between 1 and 50"),
    ("household", {"household_size": "abc"}, "household_size", "integer"),
    ("association", {"year_joined": "2018", "year_left": "2012"}, "year_left",
     "cannot be before"),
    ("education", {"years_of_schooling": "99"}, "years_of_schooling", "between 0 and 25"),
])
def test_bad_input_is_400_with_message_at_the_field_and_nothing_saved(
        client, login_as, db, caseworker, person, code, bad, field, message):
    login_as(caseworker)
    data = form_data(dict(COMPLETE[code], **bad))
    response = client.post(_url(person, f"/{code}"), data=data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert f'id="{field}-err"' in text and message in text
    assert get_draft(person) is None
    assert "profiling.section_saved" not in _actions(db)


def test_save_as_complete_needs_the_required_answers(client, login_as, db, caseworker, person):
    login_as(caseworker)
    response = client.post(_url(person, "/household"),
                           data=form_data({"household_size": 4}, complete=True))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert 'id="marital_status-err"' in text and "Answer this question" in text
    assert get_draft(person) is None
    draft = client.post(_url(person, "/household"), data=form_data({"household_size": 4}))
    assert draft.status_code == 302  # an incomplete draft may be saved


def test_submitting_an_incomplete_profile_lists_the_missing_sections(client, login_as, db,
                                                                     caseworker, person, fill):
    fill(caseworker, person, sections=["household", "education"])
    login_as(caseworker)
    response = client.post(_url(person, "/submit"), data={"row_version": "2"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "The profile is not complete" in text
    assert "Languages" in text and "Aspirations and preferred reintegration option" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProfileVersion)) == 0


def test_no_personal_value_in_urls_or_flashes(client, login_as, db, caseworker, person):
    login_as(caseworker)
    response = client.post(_url(person, "/association"),
                           data=form_data(COMPLETE["association"]))
    assert "Kolofata" not in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Section saved: Association history." in page and "Kolofata" not in page

"""Profile services: drafts vs versions, audit rows, completeness, conflicts, coded columns,
and the encrypted storage of answers."""
import json

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from icrs.audit.models import AuditEntry
from icrs.auth.roles import PERMISSIONS, Role
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.profiling import services
from icrs.profiling.models import ProfileDraft, ProfileSection, ProfileVersion
from icrs.profiling.queries import get_draft
from icrs.profiling.sections import SECTIONS
from tests.profiling.conftest import COMPLETE


def _audit(action):
    return [json.loads(e.details) | {"_object": e.object_id, "_actor": e.actor_id}
            for e in AuditEntry.query.filter_by(action=action).order_by(AuditEntry.seq)]


def _count(model):
    from icrs.extensions import db
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_saving_a_section_updates_the_draft_not_a_version(db, caseworker, person):
    draft = services.save_section(caseworker, person, "household", COMPLETE["household"], 0)
    db.session.commit()
    assert draft.version == 1 and draft.dirty
    assert _count(ProfileVersion) == 0
    assert services.save_section(caseworker, person, "education", {"literacy": "basic"}, 1) \
        is draft
    db.session.commit()
    assert _count(ProfileDraft) == 1 and draft.version == 2
    saved = _audit("profiling.section_saved")
    assert [(a["section"], a["complete"]) for a in saved] == [("household", True),
                                                              ("education", False)]
    assert saved[0]["_object"] == str(person.id) and saved[0]["_actor"] == caseworker.id


def test_answers_to_unknown_questions_are_dropped(db, caseworker, person):
    services.save_section(caseworker, person, "skills", {"skills": ["welding"], "x": "y"}, 0)
    assert get_draft(person).sections[0].answers == {"skills": ["welding"]}


def test_stale_row_version_is_refused_and_nothing_saved(db, caseworker, person):
    services.save_section(caseworker, person, "household", COMPLETE["household"], 0)
    db.session.commit()
    with pytest.raises(ConflictError):
        services.save_section(caseworker, person, "household", {"household_size": 9}, 0)
    db.session.rollback()
    row = get_draft(person).sections[0]
    assert row.answers["household_size"] == 6
    assert len(_audit("profiling.section_saved")) == 1


def test_concurrent_update_detected_at_flush(db, caseworker, person):
    """Both sessions read version 1; the second write loses the race even past the check."""
    services.save_section(caseworker, person, "household", COMPLETE["household"], 0)
    db.session.commit()
    draft = get_draft(person)
    assert draft.version == 1
    db.session.execute(sa.update(ProfileDraft).where(ProfileDraft.id == draft.id)
                       .values(version=2)  # another transaction, behind the ORM's back
                       .execution_options(synchronize_session=False))
    assert draft.version == 1
    with pytest.raises(ConflictError):
        services.save_section(caseworker, person, "education", {"literacy": "basic"}, 1)


def test_only_the_assigned_caseworker_saves(db, make, caseworker, person):
    colleague = make.user("caseworker", site="MER")
    with pytest.raises(AccessDenied):
        services.save_section(colleague, person, "household", COMPLETE["household"], 0)
    supervisor = make.user("supervisor", region="EN")
    with pytest.raises(AccessDenied):
        services.save_section(supervisor, person, "household", COMPLETE["household"], 0)


def test_sensitive_section_needs_the_permission(db, caseworker, person, monkeypatch):
    monkeypatch.setitem(PERMISSIONS, "people.sensitive", {Role.SUPERVISOR})
    with pytest.raises(AccessDenied):
        services.save_section(caseworker, person, "association", COMPLETE["association"], 0)
    services.save_section(caseworker, person, "household", COMPLETE["household"], 0)


def test_submit_creates_version_with_coded_answers_flags_and_audit(db, caseworker, person,
                                                                    fill):
    fill(caseworker, person)
    draft = get_draft(person)
    version = services.submit_profile(caseworker, person, draft.version)
    db.session.commit()
    assert version.number == 1 and version.complete and version.is_current
    assert version.changed_sections == [s.code for s in SECTIONS]
    assert (version.household_size, version.dependants_count) == (6, 4)
    assert (version.education_level, version.literacy) == ("primary_incomplete", "basic")
    assert version.skills == ["tailoring", "trading"] and version.has_income is False
    assert version.preferred_option == "small_business"
    assert version.service_language == "fr"
    assert version.vulnerability_flags == [
        "female_head_of_household", "pregnant_or_lactating", "no_income", "security_threat",
        "protection_support"]
    assert len(version.sections) == len(SECTIONS)
    assert {s.section: s.answers for s in version.sections} == COMPLETE
    assert not get_draft(person).dirty
    (entry,) = _audit("profiling.submitted")
    assert entry["version"] == 1 and entry["changed_sections"] == version.changed_sections
    assert services.profile_is_complete(person)


def test_new_version_records_only_changed_sections(db, caseworker, person, submitted):
    first = submitted(caseworker, person)
    draft = get_draft(person)
    services.save_section(caseworker, person, "work",
                          dict(COMPLETE["work"], has_income="yes"), draft.version)
    services.save_section(caseworker, person, "education", COMPLETE["education"],
                          draft.version)  # saved again, unchanged
    second = services.submit_profile(caseworker, person, draft.version)
    db.session.commit()
    assert second.number == 2 and second.changed_sections == ["work"]
    assert second.is_current and not first.is_current
    assert "no_income" not in second.vulnerability_flags and second.has_income is True
    assert [v["version"] for v in _audit("profiling.submitted")] == [1, 2]


def test_submit_without_changes_is_refused(db, caseworker, person, submitted):
    submitted(caseworker, person)
    with pytest.raises(DomainError):
        services.submit_profile(caseworker, person, get_draft(person).version)


def test_incomplete_profile_is_refused_with_the_missing_sections(db, caseworker, person, fill):
    with pytest.raises(services.IncompleteProfile) as nothing:
        services.submit_profile(caseworker, person, 0)
    assert len(nothing.value.sections) == len(SECTIONS)
    fill(caseworker, person, sections=["household", "education", "languages", "skills", "work",
                                       "health", "psychosocial", "association", "security"])
    services.save_section(caseworker, person, "aspirations", {"preferred_place": "stay"},
                          get_draft(person).version)
    with pytest.raises(services.IncompleteProfile) as exc:
        services.submit_profile(caseworker, person, get_draft(person).version)
    assert [s.code for s in exc.value.sections] == ["aspirations"]
    db.session.rollback()
    assert _count(ProfileVersion) == 0 and not services.profile_is_complete(person)


def test_submit_with_stale_row_version_is_refused(db, caseworker, person, fill):
    fill(caseworker, person)
    with pytest.raises(ConflictError):
        services.submit_profile(caseworker, person, get_draft(person).version - 1)


def test_completeness_and_case_summary(db, caseworker, person, fill, monkeypatch):
    from icrs.profiling.queries import case_summary, completeness_percent
    assert completeness_percent(None) == 0
    fill(caseworker, person, sections=["household"])
    summary = case_summary(person)
    assert 0 < summary["completeness"] < 100
    assert summary["has_draft"] and summary["version_number"] is None
    assert {s["code"]: s["status"] for s in summary["sections"]}["household"] == "complete"
    assert {s["code"]: s["status"] for s in summary["sections"]}["work"] == "not_started"
    fill(caseworker, person)
    services.submit_profile(caseworker, person, get_draft(person).version)
    db.session.commit()
    summary = case_summary(person, caseworker)
    assert summary["completeness"] == 100 and summary["complete"]
    assert summary["version_number"] == 1 and not summary["has_draft"]
    with force_locale("en"):
        assert str(summary["preferred_option"]) == "Small business"
        flags = [(c, str(lb)) for c, lb in summary["flags"]]
    assert ("security_threat", "Security threat") in flags
    monkeypatch.setitem(PERMISSIONS, "people.sensitive", {Role.SUPERVISOR})
    hidden = case_summary(person, caseworker)
    assert [c for c, _ in hidden["flags"]] == ["female_head_of_household", "no_income"]
    assert "association" not in {s["code"] for s in hidden["sections"]}


def test_timeline_events_carry_no_personal_values(db, caseworker, person, submitted):
    submitted(caseworker, person)
    ((at, kind, title, detail, actor),) = list(services.timeline_events(person))
    with force_locale("en"):
        assert kind == "profile" and str(title) == "Profile version 1 submitted"
    assert detail == "" and actor.id == caseworker.id and at is not None


def test_plaintext_answers_are_not_in_the_database(db, caseworker, person, submitted):
    submitted(caseworker, person)
    db.session.expire_all()
    raw = db.session.execute(sa.text("SELECT answers_ct FROM profile_section")).scalars().all()
    assert len(raw) == 2 * len(SECTIONS)
    blob = b"".join(bytes(r) for r in raw)
    for secret in ("Kolofata", "commandant", "Menaces du frère", "forced_marriage",
                   "Ouvrir un atelier"):
        assert secret.encode() not in blob
    # and every other column of the profile tables holds no free text either
    for table in ("profile_section", "profile_version", "profile_draft"):
        dump = repr(db.session.execute(sa.text(f"SELECT * FROM {table}")).all())  # noqa: S608
        assert "Kolofata" not in dump and "forced_marriage" not in dump
    # …while the application still reads them back
    row = db.session.scalar(sa.select(ProfileSection).where(
        ProfileSection.section == "association", ProfileSection.version_id.is_not(None)))
    assert "Kolofata" in row.answers["association_notes"]

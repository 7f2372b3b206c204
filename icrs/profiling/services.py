"""Profile operations: save a section to the draft, submit a version, audit views.
Flush, never commit. Read helpers live in `queries` and are re-exported here for the people
domain (`profile_is_complete`, `case_summary`, `timeline_events`)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.models import flush_or_conflict
from icrs.core.timeutil import utcnow
from icrs.core.vocab import canonical_language
from icrs.extensions import db
from icrs.people import signals as people_signals
from icrs.people.stages import advance_when_ready
from icrs.profiling.flags import derive_flags
from icrs.profiling.models import ProfileDraft, ProfileSection, ProfileVersion
from icrs.profiling.queries import (
    case_summary,
    get_draft,
    latest_version,
    profile_is_complete,
    section_answers,
    timeline_events,
    version_by_number,
)
from icrs.profiling.sections import SECTIONS, get_section

__all__ = ["IncompleteProfile", "case_summary", "mark_viewed", "profile_is_complete",
           "save_section", "submit_profile", "timeline_events"]

CONFLICT = _l("Someone else saved this profile after you opened it. Nothing was saved: open the "
              "page again to see the current answers, then make your changes again.")


class IncompleteProfile(DomainError):
    """Submission refused; `sections` are the incomplete Section entries."""

    def __init__(self, sections):
        super().__init__(_l("The profile is not complete. Complete these sections first: "
                            "%(names)s.", names=", ".join(str(s.title) for s in sections)))
        self.sections = sections


def _check_edit(actor, person, section=None):
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can change this profile."))
    if section is not None and section.sensitive and not person.can_view_sensitive(actor):
        raise AccessDenied(_l("You may not see or change this section."))


def save_section(actor, person, code, answers: dict, expected_version: int) -> ProfileDraft:
    """Store one section's answers in the person's draft (no version is created)."""
    section = get_section(code)
    if section is None:
        raise DomainError(_l("Unknown profile section."))
    _check_edit(actor, person, section)
    # before the draft changes: reading the household would flush it half-made
    answers = section.with_derived(person, _known(section, answers, person))
    draft = get_draft(person)
    if expected_version != (draft.version if draft else 0):
        raise ConflictError(CONFLICT)
    if draft is None:
        draft = ProfileDraft(person_id=person.id)
        db.session.add(draft)
    row = next((r for r in draft.sections if r.section == code), None)
    if row is None:
        row = ProfileSection(person_id=person.id, section=code)
        draft.sections.append(row)
    _fill(row, section, answers, actor.id, utcnow(), person)
    draft.dirty, draft.updated_at, draft.updated_by_id = True, row.saved_at, actor.id
    flush_or_conflict(CONFLICT, integrity=True)  # the draft row carries a version
    record("profiling.section_saved", actor=actor, obj=person, section=code,
           complete=not row.missing)
    return draft


def _known(section, answers, person):
    """Only the section's questions that apply to the person are kept."""
    names = {f.name for f in section.make_form(person, formdata=None, meta={"csrf": False})
             .question_fields()}
    return {k: v for k, v in (answers or {}).items() if k in names}


def _fill(row, section, answers, saved_by_id, saved_at, person=None):
    row.answers = answers
    row.missing = section.missing(answers, person)
    row.answered = len(section.required) - len(row.missing)
    row.saved_by_id, row.saved_at = saved_by_id, saved_at


def submit_profile(actor, person, expected_version: int) -> ProfileVersion:
    """Turn the draft into a new version; refused if incomplete or unchanged."""
    _check_edit(actor, person)
    draft = get_draft(person)
    if draft is None:
        raise IncompleteProfile(list(SECTIONS))
    if draft.version != expected_version:
        raise ConflictError(CONFLICT)
    rows = {r.section: r for r in draft.sections}
    incomplete = [s for s in SECTIONS if s.code not in rows or rows[s.code].missing]
    if incomplete:
        raise IncompleteProfile(incomplete)
    previous = latest_version(person)
    # derived answers (the household's counts) as they are at submission
    answers = {code: get_section(code).with_derived(person, row.answers)
               for code, row in rows.items()}
    changed = _changed_sections(previous, answers)
    if previous is not None and not changed:
        raise DomainError(_l("Nothing has changed since version %(n)s.", n=previous.number))
    version = _new_version(actor, person, previous, answers, changed)
    for code, row in rows.items():
        version.sections.append(ProfileSection(
            person_id=person.id, section=code, answers=answers[code], answered=row.answered,
            missing=list(row.missing), saved_at=row.saved_at, saved_by_id=row.saved_by_id))
    draft.dirty, draft.updated_at, draft.updated_by_id = False, utcnow(), actor.id
    flush_or_conflict(CONFLICT, integrity=True)  # the draft row carries a version
    record("profiling.submitted", actor=actor, obj=person, version=version.number,
           changed_sections=changed)
    advance_when_ready(actor, person)
    return version


def _changed_sections(previous, answers):
    before = {r.section: (r.answers or {}) for r in previous.sections} if previous else {}
    return [s.code for s in SECTIONS if answers.get(s.code) != before.get(s.code)]


def _new_version(actor, person, previous, answers, changed):
    if previous is not None:
        previous.is_current = False
    version = ProfileVersion(
        person_id=person.id, number=(previous.number + 1) if previous else 1,
        submitted_at=utcnow(), submitted_by_id=actor.id, changed_sections=changed,
        complete=True, is_current=True,
        vulnerability_flags=derive_flags(person_fields(person), answers),
        **coded_answers(answers))
    db.session.add(version)
    return version


def person_fields(person) -> dict:
    """The coarse plain fields the flags need (no decryption)."""
    return {"age": person.age, "sex": getattr(person.sex, "value", person.sex)}


def coded_answers(answers) -> dict:
    """Answers copied, plain, to the version for matching and dashboards (codes and counts)."""
    def get(section, name):
        return (answers.get(section) or {}).get(name)

    option = get("aspirations", "preferred_option")
    return {
        "household_size": get("household", "household_size"),
        "dependants_count": get("household", "dependants_count"),
        "education_level": get("education", "education_level"),
        "literacy": get("education", "literacy"),
        "service_language": canonical_language(get("languages", "service_language")),
        "skills": list(get("skills", "skills") or []),
        "has_income": {"yes": True, "no": False}.get(get("work", "has_income")),
        "preferred_option": option or None,
    }


def mark_viewed(actor, person, page="overview", section=None, **details):
    """Every view of a profile is audited: the overview, a section, a version."""
    if section is not None:
        record("profiling.section_viewed", actor=actor, obj=person, section=section, **details)
    else:
        record("profiling.viewed", actor=actor, obj=person, page=page, **details)


# --- answers to the people domain's questions (icrs.people.signals) -------------------------------
@people_signals.stage_facts.connect
def _stage_facts(person, **_):
    return {"profile_complete": profile_is_complete(person)}


@people_signals.case_panels.connect
def _case_panel(person, user=None, **_):
    return {"profile": case_summary(person, user)}


@people_signals.timeline_events.connect
def _timeline(person, **_):
    return list(timeline_events(person))


BASELINE_SECTIONS = ("work", "household", "psychosocial", "security")


@people_signals.baseline_answers.connect
def _baseline_answers(person, **_):
    """The first version's answers of the sections the sustainability baseline maps
    (icrs.people.sustainability.baseline_items), decrypted for that computation only."""
    first = version_by_number(person, 1)
    if first is None:
        return None
    return {"version_id": first.id,
            "answers": {code: section_answers(first, code) for code in BASELINE_SECTIONS}}


@people_signals.person_erasing.connect
def _on_person_erasing(person, actor=None, **_):
    """Erasure: the plain coded answers and the completeness lists go too (the answers and the
    flags are encrypted and die with the data key)."""
    cleared = {name: None for name in coded_answers({})} | {"skills": [],
                                                            "vulnerability_flags_ct": None}
    db.session.execute(sa.update(ProfileVersion).where(ProfileVersion.person_id == person.id)
                       .values(**cleared))
    db.session.execute(sa.update(ProfileSection).where(ProfileSection.person_id == person.id)
                       .values(missing=[]))
    db.session.flush()

from icrs.profiling import merge as _merge  # noqa: E402,F401 - answers the merge signals

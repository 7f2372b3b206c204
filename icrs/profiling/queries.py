"""Read side of the profile: statuses and completeness without decrypting, one section's
answers when a page shows them, the case-page summary and timeline events."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.core.vocab import canonical_language, canonical_languages
from icrs.extensions import db
from icrs.profiling.flags import flag_labels
from icrs.profiling.models import ProfileDraft, ProfileVersion
from icrs.profiling.sections import SECTIONS, TOTAL_REQUIRED

STATUS_LABELS = {"complete": _l("Complete"), "incomplete": _l("Incomplete"),
                 "not_started": _l("Not started")}


def get_draft(person):
    return db.session.scalar(sa.select(ProfileDraft).where(ProfileDraft.person_id == person.id))


def latest_version(person):
    return db.session.scalar(sa.select(ProfileVersion).where(ProfileVersion.person_id == person.id)
                             .order_by(ProfileVersion.number.desc()).limit(1))


def versions(person):
    return db.session.scalars(sa.select(ProfileVersion).where(
        ProfileVersion.person_id == person.id).order_by(ProfileVersion.number.desc())).all()


def version_by_number(person, number):
    return db.session.scalar(sa.select(ProfileVersion).where(
        ProfileVersion.person_id == person.id, ProfileVersion.number == number))


def section_row(parent, code):
    """The ProfileSection of a draft or version for `code`, or None."""
    return next((r for r in (parent.sections if parent else ()) if r.section == code), None)


def section_answers(parent, code) -> dict:
    """Decrypts one section (only call it for what the page shows)."""
    row = section_row(parent, code)
    return current_codes(code, (row.answers or {}) if row is not None else {})


def current_codes(code, answers) -> dict:
    """Encrypted answers keep the codes of their day: read legacy language codes (pcm) as the
    current ones, so the form and the display know them."""
    if code != "languages" or not answers:
        return answers
    fixed = dict(answers)
    for name, value in answers.items():
        if isinstance(value, list):
            fixed[name] = canonical_languages(value)
        elif isinstance(value, str):
            fixed[name] = canonical_language(value)
    return fixed


def question_label(section, name):
    unbound = getattr(section.form, name, None)
    return unbound.args[0] if unbound is not None and unbound.args else name


def section_status(section, row) -> dict:
    if row is None:
        status, answered, missing = "not_started", 0, list(section.required)
    else:
        status = "complete" if not row.missing else "incomplete"
        answered, missing = row.answered, list(row.missing)
    return {"section": section, "code": section.code, "title": section.title,
            "sensitive": section.sensitive, "status": status,
            "status_label": STATUS_LABELS[status], "answered": answered,
            "required": len(section.required),
            "missing": [question_label(section, m) for m in missing],
            "saved_at": row.saved_at if row else None,
            "saved_by": row.saved_by if row else None}


def section_statuses(parent, sections=SECTIONS) -> list[dict]:
    return [section_status(s, section_row(parent, s.code)) for s in sections]


def completeness_percent(parent) -> int:
    """Required answers given, over all sections (sensitive ones included), in percent."""
    answered = sum(r.answered for r in (parent.sections if parent else ()))
    return round(100 * answered / TOTAL_REQUIRED) if TOTAL_REQUIRED else 100


def profile_is_complete(person) -> bool:
    """The latest submitted version is complete."""
    version = latest_version(person)
    return bool(version and version.complete)


def case_summary(person, user=None) -> dict:
    """For the case page: no answers, only codes, counts and dates. With `user`, flags and
    sections from sensitive sections are left out unless the user may see them."""
    draft, version = get_draft(person), latest_version(person)
    sensitive_ok = user is None or person.can_view_sensitive(user)
    sections = [s for s in SECTIONS if sensitive_ok or not s.sensitive]
    option = version.preferred_option if version else None
    return {
        "completeness": completeness_percent(draft),
        "complete": bool(version and version.complete),
        "version_number": version.number if version else None,
        "submitted_at": version.submitted_at if version else None,
        "has_draft": bool(draft and draft.dirty),
        "flags": flag_labels(version.vulnerability_flags if version else [],
                             include_sensitive=sensitive_ok),
        "preferred_option": lookups.lazy_label("pathway", option) if option else None,
        "preferred_pathway": option or None,
        "sections": [{k: st[k] for k in ("code", "title", "status", "status_label",
                                          "sensitive")}
                     for st in section_statuses(draft, sections)],
    }


def timeline_events(person):
    """(at, kind, title, detail, actor) per submitted version: no personal values."""
    for v in versions(person):
        yield (v.submitted_at, "profile",
               _l("Profile version %(n)s submitted", n=v.number), "", v.submitted_by)


def changed_questions(answers, previous_answers) -> set:
    return {name for name in set(answers) | set(previous_answers or {})
            if answers.get(name) != (previous_answers or {}).get(name)}


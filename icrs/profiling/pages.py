"""What each profile page shows, gathered in one place (the views stay HTTP only)."""
from icrs.people.forms import BreakGlassForm
from icrs.people.need_to_know import active_grant, grant_minutes
from icrs.profiling import queries
from icrs.profiling.display import display_answers
from icrs.profiling.flags import flag_labels
from icrs.profiling.forms import SubmitProfileForm
from icrs.profiling.sections import SECTIONS, visible_sections


def restricted_context(person, user):
    """What the restricted notice and its break-glass form need (people/_break_glass.html)."""
    can_break = person.can_break_glass(user)
    return {"can_break_glass": can_break, "break_glass_form": BreakGlassForm(prefix="glass"),
            "break_glass_grant": None if can_break else active_grant(user, person),
            "break_glass_minutes": grant_minutes(),
            "restricted": [s for s in SECTIONS if s.sensitive] if can_break else []}


def overview_context(person, user, submit_form=None, incomplete=()):
    draft, latest = queries.get_draft(person), queries.latest_version(person)
    sensitive_ok = person.can_view_sensitive(user)
    if submit_form is None:
        submit_form = SubmitProfileForm(row_version=str(draft.version if draft else 0))
    titles = {s.code: s.title for s in SECTIONS if sensitive_ok or not s.sensitive}
    return {
        "person": person, "can_edit": person.can_edit(user), "draft": draft,
        "latest": latest, "statuses": queries.section_statuses(
            draft, visible_sections(person, user)),
        "percent": queries.completeness_percent(draft),
        "flags": flag_labels(latest.vulnerability_flags if latest else [], sensitive_ok),
        "history": [(v, [titles[c] for c in v.changed_sections if c in titles])
                    for v in queries.versions(person)],
        "submit_form": submit_form, "incomplete": set(incomplete),
        **restricted_context(person, user),
    }


def section_form(person, section):
    draft = queries.get_draft(person)
    form = section.make_form(person, formdata=None, data=section.prefilled(
        person, queries.section_answers(draft, section.code)))
    form.row_version.data = str(draft.version if draft else 0)
    return form


def section_context(person, section, form, user, with_form=True):
    draft = queries.get_draft(person)
    row = queries.section_row(draft, section.code)
    can_edit = person.can_edit(user)
    derived = section.derived_values(person)
    context = {
        "person": person, "section": section, "can_edit": can_edit,
        "section_status": queries.section_status(section, row),
        "answers": [] if can_edit else display_answers(
            section, {**queries.section_answers(draft, section.code), **derived}),
        "derived": [a for a in display_answers(section, derived) if a["name"] in derived]
        if can_edit else [],
    }
    if with_form:
        context["form"] = form
    return context


def version_context(person, number, user):
    version = queries.version_by_number(person, number)
    if version is None:
        return None
    previous = queries.version_by_number(person, number - 1) if number > 1 else None
    shown = []
    for section in visible_sections(person, user):
        row = queries.section_row(version, section.code)
        before = queries.section_answers(previous, section.code) if previous else None
        answers = queries.current_codes(section.code, (row.answers or {}) if row else {})
        shown.append((section, {"row": row, "changed": section.code in version.changed_sections,
                                "answers": display_answers(section, answers, before)}))
    return {"person": person, "version": version, "previous": previous, "shown": shown,
            "flags": flag_labels(version.vulnerability_flags, person.can_view_sensitive(user))}

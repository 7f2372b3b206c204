"""The registry of profile sections: code, title, form, sensitivity, required answers.

Order is the order of the interview. Sensitive sections are shown only to users for whom
`person.can_view_sensitive(user)`; they never appear in lists or exports.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from icrs.households.services import household_counts
from icrs.profiling.sections.base import SectionForm, answered
from icrs.profiling.sections.household import EducationForm, HouseholdForm, LanguagesForm
from icrs.profiling.sections.livelihood import AspirationsForm, SkillsForm, WorkForm
from icrs.profiling.sections.protection import AssociationForm, SecurityForm
from icrs.profiling.sections.relevance import can_be_pregnant, is_minor
from icrs.profiling.sections.wellbeing import WG_DOMAINS, HealthForm, PsychosocialForm


@dataclass(frozen=True)
class Section:
    code: str
    title: object
    form: type
    sensitive: bool
    required: tuple
    help: object = ""
    relevance: tuple = ()  # (question, rule(person)): asked only when the rule holds
    prefill: tuple = ()  # (question, value(person)): known at registration, not asked twice
    # value(person) -> {question: answer} known elsewhere (the household): not asked, stored
    derived: object = None

    def derived_values(self, person) -> dict:
        if person is None or self.derived is None:
            return {}
        return dict(self.derived(person))

    def with_derived(self, person, answers) -> dict:
        """The answers with the derived ones as they are now."""
        return {**(answers or {}), **self.derived_values(person)}

    def prefilled(self, person, answers) -> dict:
        """The stored answers, with what registration already recorded where none is given."""
        answers = dict(answers or {})
        for name, value in self.prefill:
            if not answered(answers.get(name)):
                answers[name] = value(person)
        return answers

    def not_applicable(self, person) -> set:
        """The questions that do not apply to this person (none when no person is given)."""
        if person is None:
            return set()
        return {name for name, applies in self.relevance if not applies(person)}

    def not_asked(self, person) -> set:
        """The questions the form leaves out: not applicable, or derived."""
        return self.not_applicable(person) | set(self.derived_values(person))

    def make_form(self, person=None, **kwargs) -> SectionForm:
        skip = self.not_asked(person)
        form = self.form(required=[r for r in self.required if r not in skip], **kwargs)
        for name in skip:
            del form[name]
        return form

    def missing(self, answers, person=None) -> list[str]:
        """Names of the required questions (that apply) without an answer."""
        answers, skip = answers or {}, self.not_asked(person)
        return [name for name in self.required
                if name not in skip and not answered(answers.get(name))]


SECTIONS = (
    Section("household", _l("Household and dependants"), HouseholdForm, False,
            ("household_size", "head_of_household", "marital_status", "living_arrangement",
             "dependants_count"),
            relevance=(("separated_from_parents", is_minor),), derived=household_counts),
    Section("education", _l("Education and literacy"), EducationForm, False,
            ("education_level", "literacy")),
    Section("languages", _l("Languages"), LanguagesForm, False,
            ("languages_spoken", "main_language", "service_language"),
            prefill=(("languages_spoken", lambda person: list(person.languages or [])),)),
    Section("skills", _l("Skills and vocational training"), SkillsForm, False,
            ("skills", "training_done")),
    Section("work", _l("Work history and livelihood assets"), WorkForm, False,
            ("activity_before", "current_activity", "has_income")),
    Section("health", _l("Health and disability"), HealthForm, True,
            (*WG_DOMAINS, "chronic_illness"),
            _l("Washington Group short set: ask each question as written."),
            relevance=(("pregnancy", can_be_pregnant),)),
    # Mental-health information: treated as sensitive like the health section.
    Section("psychosocial", _l("Psychosocial wellbeing"), PsychosocialForm, True,
            ("hopelessness", "someone_to_talk_to", "community_acceptance", "wants_support")),
    Section("association", _l("Association history"), AssociationForm, True,
            ("group", "role", "how_joined", "year_joined", "how_left"),
            _l("Most sensitive. Record only what reintegration needs.")),
    Section("security", _l("Security and protection concerns"), SecurityForm, True,
            ("feels_safe", "threatened", "gbv_disclosed"),
            _l("Most sensitive. Ask in private; the person may decline any question.")),
    Section("aspirations", _l("Aspirations and preferred reintegration option"),
            AspirationsForm, False, ("preferred_option", "preferred_place")),
)
BY_CODE = {s.code: s for s in SECTIONS}
SENSITIVE = frozenset(s.code for s in SECTIONS if s.sensitive)
TOTAL_REQUIRED = sum(len(s.required) for s in SECTIONS)


def get_section(code):
    return BY_CODE.get(code)


def visible_sections(person, user):
    """The sections this user may see for this person (sensitive ones need the permission)."""
    sensitive_ok = person.can_view_sensitive(user)
    return [s for s in SECTIONS if sensitive_ok or not s.sensitive]

"""The registry of profile sections: code, title, form, sensitivity, required answers.

Order is the order of the interview. Sensitive sections are shown only to users for whom
`person.can_view_sensitive(user)`; they never appear in lists or exports.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from icrs.profiling.sections.base import SectionForm, answered
from icrs.profiling.sections.household import EducationForm, HouseholdForm, LanguagesForm
from icrs.profiling.sections.livelihood import AspirationsForm, SkillsForm, WorkForm
from icrs.profiling.sections.protection import AssociationForm, SecurityForm
from icrs.profiling.sections.wellbeing import WG_DOMAINS, HealthForm, PsychosocialForm


@dataclass(frozen=True)
class Section:
    code: str
    title: object
    form: type
    sensitive: bool
    required: tuple
    help: object = ""

    def make_form(self, **kwargs) -> SectionForm:
        return self.form(required=self.required, **kwargs)

    def missing(self, answers) -> list[str]:
        """Names of the required questions without an answer."""
        answers = answers or {}
        return [name for name in self.required if not answered(answers.get(name))]


SECTIONS = (
    Section("household", _l("Household and dependants"), HouseholdForm, False,
            ("household_size", "head_of_household", "marital_status", "living_arrangement",
             "dependants_count")),
    Section("education", _l("Education and literacy"), EducationForm, False,
            ("education_level", "literacy")),
    Section("languages", _l("Languages"), LanguagesForm, False,
            ("languages_spoken", "main_language", "service_language")),
    Section("skills", _l("Skills and vocational training"), SkillsForm, False,
            ("skills", "training_done")),
    Section("work", _l("Work history and livelihood assets"), WorkForm, False,
            ("activity_before", "current_activity", "has_income")),
    Section("health", _l("Health and disability"), HealthForm, True,
            (*WG_DOMAINS, "chronic_illness"),
            _l("Washington Group short set: ask each question as written.")),
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

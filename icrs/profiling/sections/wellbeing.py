"""Forms: health & disability (Washington Group Short Set), psychosocial wellbeing."""
from flask_babel import lazy_gettext as _l

from icrs.profiling.sections import choices as c
from icrs.profiling.sections.base import SectionForm, choice, text, yes_no

WG_DOMAINS = ("wg_seeing", "wg_hearing", "wg_walking", "wg_cognition", "wg_selfcare",
              "wg_communication")


class HealthForm(SectionForm):
    wg_seeing = choice(_l("Difficulty seeing, even if wearing glasses"), c.WG_SCALE)
    wg_hearing = choice(_l("Difficulty hearing, even if using a hearing aid"), c.WG_SCALE)
    wg_walking = choice(_l("Difficulty walking or climbing steps"), c.WG_SCALE)
    wg_cognition = choice(_l("Difficulty remembering or concentrating"), c.WG_SCALE)
    wg_selfcare = choice(_l("Difficulty with self-care, such as washing or dressing"),
                         c.WG_SCALE)
    wg_communication = choice(
        _l("Difficulty communicating, for example understanding or being understood"),
        c.WG_SCALE)
    chronic_illness = yes_no(_l("Has a chronic illness"))
    chronic_illness_details = text(_l("Chronic illness: details"), 1000)
    conflict_injury = yes_no(_l("Has an injury from the conflict"))
    pregnancy = choice(_l("Pregnant or breastfeeding"), c.PREGNANCY)
    on_treatment = yes_no(_l("Currently under treatment"))
    health_needs = text(_l("Health needs"))


class PsychosocialForm(SectionForm):
    sleep_problems = choice(_l("Trouble sleeping"), c.FREQUENCY)
    hopelessness = choice(_l("Feels hopeless or very sad"), c.FREQUENCY)
    someone_to_talk_to = yes_no(_l("Has someone to talk to"))
    community_acceptance = choice(_l("Acceptance by the family and community"), c.ACCEPTANCE)
    substance_use = yes_no(_l("Uses alcohol or drugs to cope"))
    wants_support = yes_no(_l("Wishes psychosocial support"))
    wellbeing_notes = text(_l("Observations"))

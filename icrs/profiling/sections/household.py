"""Forms: household & dependants, education & literacy, languages."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from icrs.profiling.sections import choices as c
from icrs.profiling.sections.base import (
    SectionForm,
    choice,
    lookup_choice,
    lookup_several,
    number,
    several,
    text,
    yes_no,
)


class HouseholdForm(SectionForm):
    household_size = number(_l("People in the household"), 1, 50,
                            _l("Everyone who usually lives and eats together, the person "
                               "included."))
    head_of_household = choice(_l("Head of household"), c.HEAD_OF_HOUSEHOLD)
    marital_status = choice(_l("Marital status"), c.MARITAL_STATUS)
    living_arrangement = choice(_l("Lives"), c.LIVING_ARRANGEMENT)
    children_count = number(_l("Own children"), 0, 30)
    dependants_count = number(_l("People who depend on the person"), 0, 50,
                              _l("Children, elders or others the person supports."))
    dependants_under_five = number(_l("Of whom under five years old"), 0, 50)
    separated_from_parents = yes_no(
        _l("Separated from both parents or usual caregiver"),
        _l("For children: even if living with other relatives."))
    household_notes = text(_l("Notes on the household"))

    def validate_dependants_under_five(self, field):
        if field.data is not None and self.dependants_count.data is not None \
                and field.data > self.dependants_count.data:
            raise ValidationError(_l("Cannot be more than the number of dependants."))


class EducationForm(SectionForm):
    education_level = choice(_l("Highest level of education"), c.EDUCATION_LEVEL)
    years_of_schooling = number(_l("Years of schooling"), 0, 25)
    literacy = choice(_l("Reading and writing"), c.LITERACY)
    reads_in = several(_l("Reads in"), c.SCRIPT_LANGUAGES)
    numeracy = yes_no(_l("Can count and do simple sums"))
    in_school = yes_no(_l("Currently in school or training"))
    wants_school = yes_no(_l("Wishes to go back to school"))
    education_notes = text(_l("Notes on education"))


class LanguagesForm(SectionForm):
    languages_spoken = lookup_several(_l("Languages spoken"), "language")
    main_language = lookup_choice(_l("Main language"), "language")
    service_language = lookup_choice(_l("Preferred language for services"), "language",
                                     _l("Used to match services and trainings."))
    interpreter_needed = yes_no(_l("Needs an interpreter"))

"""Forms: association history and security & protection (GBV): the most sensitive sections."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from icrs.profiling.sections import choices as c
from icrs.profiling.sections.base import (
    SectionForm,
    choice,
    lookup_choice,
    number,
    several,
    text,
    year,
    yes_no,
)


class AssociationForm(SectionForm):
    group = lookup_choice(_l("Armed group"), "armed_group")
    group_other = StringField(_l("Other group: name"), validators=[Optional(), Length(max=120)])
    role = choice(_l("Main role in the group"), c.GROUP_ROLE)
    how_joined = choice(_l("How the person came into the group"), c.HOW_JOINED)
    year_joined = year(_l("Year of joining"))
    year_left = year(_l("Year of leaving"))
    age_at_joining = number(_l("Age when joining"), 0, 80)
    how_left = choice(_l("How the person left"), c.HOW_LEFT)
    association_notes = text(_l("Account of the association"), 5000,
                             _l("Only what is needed for reintegration."))

    def validate_year_left(self, field):
        if field.data is not None and self.year_joined.data is not None \
                and field.data < self.year_joined.data:
            raise ValidationError(_l("The year of leaving cannot be before the year of "
                                     "joining."))


class SecurityForm(SectionForm):
    feels_safe = choice(_l("Feels safe where they live"), c.FEELS_SAFE)
    threatened = yes_no(_l("Has received threats since leaving"))
    threat_sources = several(_l("Threats from"), c.THREAT_SOURCES)
    relocation_needed = yes_no(_l("Needs to move for safety"))
    gbv_disclosed = choice(_l("Has experienced gender-based violence"), c.DISCLOSURE,
                           _l("Ask only in private, with consent. \"Prefers not to say\" is a "
                              "full answer."))
    gbv_support_wanted = yes_no(_l("Wishes specialised support (medical, psychosocial, legal)"))
    protection_notes = text(_l("Protection concerns"), 5000)

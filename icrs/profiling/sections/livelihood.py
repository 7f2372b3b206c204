"""Forms: skills & vocational training, work history & livelihood assets, aspirations."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional

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

MAX_MONTHLY_INCOME = 10_000_000  # XAF; above this the figure is a typing error


class SkillsForm(SectionForm):
    skills = lookup_several(_l("Skills"), "skill",
                            _l("Skills the person can already use for work."))
    skills_other = StringField(_l("Other skills"), validators=[Optional(), Length(max=200)])
    training_done = yes_no(_l("Has followed a vocational training"))
    training_details = text(_l("Trainings followed"),
                            description=_l("Trade, where, how long, certificate."))
    certificate = yes_no(_l("Holds a certificate or diploma"))


class WorkForm(SectionForm):
    activity_before = choice(_l("Main activity before association"), c.ACTIVITY)
    current_activity = choice(_l("Main activity now"), c.ACTIVITY)
    has_income = yes_no(_l("Has an income now"))
    monthly_income = number(_l("Monthly income (XAF)"), 0, MAX_MONTHLY_INCOME,
                            _l("An estimate is enough."))
    income_sources = several(_l("Sources of income"), c.INCOME_SOURCES)
    assets = several(_l("Livelihood assets"), c.ASSETS)
    access_to_land = yes_no(_l("Has access to land to farm"))
    has_debts = yes_no(_l("Has debts"))
    work_notes = text(_l("Work history"),
                      description=_l("Jobs held, employers, for how long."))


class AspirationsForm(SectionForm):
    preferred_option = lookup_choice(_l("Preferred reintegration option"), "pathway")
    second_option = lookup_choice(_l("Second choice"), "pathway")
    preferred_place = choice(_l("Where the person wants to live"), c.PREFERRED_PLACE)
    trade_of_interest = StringField(_l("Trade or activity of interest"),
                                    validators=[Optional(), Length(max=200)])
    needs_childcare = yes_no(_l("Needs childcare to take part"))
    aspirations = text(_l("Hopes for the next two years"),
                       description=_l("In the person's own words."))

"""The people domain's admin-editable vocabularies (icrs.lookups): reintegration pathways and
exit reasons. Programmes add and retire entries; the codes below are those a new installation
starts with (migration 0012 writes them as rows)."""
from flask_babel import lazy_gettext as _l

from icrs.lookups import Vocabulary, register

PATHWAY = register(Vocabulary(
    "pathway", _l("Reintegration pathways"),
    (("agriculture", _l("Agriculture")), ("livestock", _l("Livestock")),
     ("small_business", _l("Small business")),
     ("vocational_training", _l("Vocational training")),
     ("formal_education", _l("Formal education")), ("employment", _l("Employment")),
     ("other", _l("Other pathway"))),
    _l("The plan's agreed pathway and the profile's preferred option.")))

EXIT_REASON = register(Vocabulary(
    "exit_reason", _l("Exit reasons"),
    (("dropped_out", _l("Dropped out")), ("deceased", _l("Deceased")),
     ("transferred_out", _l("Transferred out")), ("found_ineligible", _l("Found ineligible"))),
    _l("Why a person leaves the programme.")))

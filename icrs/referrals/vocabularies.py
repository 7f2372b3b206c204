"""The referral domain's admin-editable vocabularies (icrs.lookups). Decline reasons are the
programme's to adapt ("other" asks for a note, so it stays). Outcome codes belong to the state
machine (states.OUTCOMES_FOR says which fit "completed" and "not completed"): their labels and
order are editable, the codes are fixed."""
from flask_babel import lazy_gettext as _l

from icrs.lookups import Vocabulary, label, register
from icrs.referrals import states

DECLINE_OTHER = "other"

DECLINE_REASON = register(Vocabulary(
    "decline_reason", _l("Reasons for declining a referral"),
    (("no_capacity", _l("No capacity")), ("not_eligible", _l("Not eligible")),
     ("not_in_area", _l("Not in our area")),
     ("unable_to_contact", _l("Unable to contact the person")),
     (DECLINE_OTHER, _l("Other reason"))),
    _l("Given by the provider who declines."), protected=frozenset({DECLINE_OTHER})))

OUTCOME = register(Vocabulary(
    "outcome", _l("Referral outcomes"),
    tuple((o.value, o.default_label) for o in states.Outcome),
    _l("Given by the provider when the service ends."), fixed=True))

states.use_outcome_labels(lambda code: label("outcome", code))

"""Who gives a consent, and a caregiver's relationship to the child (coded, FR/EN labels)."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum, with_labels


class ConsentGiver(LabelledEnum):
    """Who gave a consent: the person, a caregiver (for a child), or the child's own assent."""
    SELF = "self"
    CAREGIVER = "caregiver"
    CHILD_ASSENT = "child_assent"


with_labels(ConsentGiver, {"self": _l("The person themself"),
                           "caregiver": _l("Caregiver or guardian"),
                           "child_assent": _l("The child (assent)")})


class CaregiverRelationship(LabelledEnum):
    MOTHER = "mother"
    FATHER = "father"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    LEGAL_GUARDIAN = "legal_guardian"
    OTHER = "other"


with_labels(CaregiverRelationship, {
    "mother": _l("Mother"), "father": _l("Father"), "grandparent": _l("Grandparent"),
    "other_relative": _l("Other relative"), "legal_guardian": _l("Legal guardian"),
    "other": _l("Other relationship")})

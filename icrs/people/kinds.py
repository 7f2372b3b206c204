"""Who a case is about: an ex-associate of an armed group (the DDR caseload, the default) or a
member of the receiving community registered for community-based reintegration (issue 24).

The kind is a plain coded column (the dashboards split every indicator by it); a community
member also has a community category, a programme vocabulary (icrs.lookups
"community_category"). A community member is registered with the light form: no association
history, no DDR card, consent to registration and to anonymised reporting taken at once."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum, with_labels
from icrs.lookups import Vocabulary, register


class BeneficiaryKind(LabelledEnum):
    EX_ASSOCIATE = "ex_associate"
    COMMUNITY_MEMBER = "community_member"


with_labels(BeneficiaryKind, {"ex_associate": _l("Ex-associate"),
                              "community_member": _l("Community member")})

COMMUNITY_CATEGORY = register(Vocabulary(
    "community_category", _l("Community categories"),
    (("host_community", _l("Host community")), ("returnee", _l("Returnee")),
     ("victim", _l("Victim of the conflict")), ("idp", _l("Internally displaced person")),
     ("other", _l("Other community member"))),
    _l("Why a community member takes part in community-based reintegration."),
    protected=frozenset({"other"})))

# Exit reasons that only fit the DDR caseload: a community member was never screened for
# eligibility as an ex-associate, so cannot be "found ineligible".
EX_ASSOCIATE_ONLY_EXIT_REASONS = frozenset({"found_ineligible"})


def exit_reasons_for(kind, codes) -> frozenset:
    """The exit reasons that apply to a case of this kind (pure: `codes` are the list's)."""
    codes = frozenset(codes)
    if kind == BeneficiaryKind.COMMUNITY_MEMBER:
        return codes - EX_ASSOCIATE_ONLY_EXIT_REASONS
    return codes


def is_community_member(person) -> bool:
    return person.beneficiary_kind == BeneficiaryKind.COMMUNITY_MEMBER

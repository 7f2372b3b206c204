"""The referral lifecycle (DESIGN §4). Pure Python: no Flask request, no database.

`check(from, to, role)` raises IllegalTransition when the move does not exist or the role may
never make it. Each status carries its FHIR Task code for exchange.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from icrs.core.enums import LabelledEnum
from icrs.core.errors import IllegalTransition  # noqa: F401  (raised here, imported from here)

CASEWORKER, PROVIDER = "caseworker", "provider"


class ReferralStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SENT = "sent", _l("Sent")
    ACCEPTED = "accepted", _l("Accepted")
    DECLINED = "declined", _l("Declined")
    IN_SERVICE = "in_service", _l("In service")
    ON_HOLD = "on_hold", _l("On hold")
    COMPLETED = "completed", _l("Completed")
    NOT_COMPLETED = "not_completed", _l("Not completed")
    # « orientation » is feminine in French: Retirée
    WITHDRAWN = "withdrawn", lazy_pgettext("referral status", "Withdrawn")

    @property
    def fhir(self):
        """FHIR R4 Task.status code."""
        return FHIR_TASK_STATUS[self]

    @classmethod
    def from_fhir(cls, code):
        for status, fhir in FHIR_TASK_STATUS.items():
            if fhir == code:
                return status
        raise ValueError(f"unknown FHIR Task status {code!r}")


S = ReferralStatus
FHIR_TASK_STATUS = {
    S.DRAFT: "draft", S.SENT: "requested", S.ACCEPTED: "accepted", S.DECLINED: "rejected",
    S.IN_SERVICE: "in-progress", S.ON_HOLD: "on-hold", S.COMPLETED: "completed",
    S.NOT_COMPLETED: "failed", S.WITHDRAWN: "cancelled",
}

# (from, to) -> the role that may make the move. None = creation.
TRANSITIONS = {
    (None, S.DRAFT): CASEWORKER,
    (S.DRAFT, S.SENT): CASEWORKER,
    (S.DRAFT, S.WITHDRAWN): CASEWORKER,
    (S.SENT, S.ACCEPTED): PROVIDER,
    (S.SENT, S.DECLINED): PROVIDER,
    (S.SENT, S.WITHDRAWN): CASEWORKER,
    (S.ACCEPTED, S.IN_SERVICE): PROVIDER,
    (S.ACCEPTED, S.ON_HOLD): PROVIDER,
    (S.ACCEPTED, S.COMPLETED): PROVIDER,
    (S.ACCEPTED, S.NOT_COMPLETED): PROVIDER,
    (S.ACCEPTED, S.WITHDRAWN): CASEWORKER,
    (S.IN_SERVICE, S.ON_HOLD): PROVIDER,
    (S.ON_HOLD, S.IN_SERVICE): PROVIDER,
}
for _from in (S.IN_SERVICE, S.ON_HOLD):
    TRANSITIONS[(_from, S.COMPLETED)] = PROVIDER
    TRANSITIONS[(_from, S.NOT_COMPLETED)] = PROVIDER
    TRANSITIONS[(_from, S.WITHDRAWN)] = CASEWORKER

# The provider is working on it (or has to answer): counts as open for the stage guard.
OPEN = frozenset({S.SENT, S.ACCEPTED, S.IN_SERVICE, S.ON_HOLD})
ACTIVE_SERVICE = frozenset({S.ACCEPTED, S.IN_SERVICE, S.ON_HOLD})
FINISHED = frozenset({S.DECLINED, S.COMPLETED, S.NOT_COMPLETED, S.WITHDRAWN})
# Outcomes the caseworker acknowledges to close the loop (a withdrawal is their own act).
TO_ACKNOWLEDGE = frozenset({S.DECLINED, S.COMPLETED, S.NOT_COMPLETED})
# Statuses that hold one of the service's capacity slots.
HOLDS_SLOT = ACTIVE_SERVICE


class Priority(LabelledEnum):
    EMERGENCY = "emergency", _l("Emergency")
    URGENT = "urgent", _l("Urgent")
    NORMAL = "normal", _l("Normal")


# Time the provider has to accept or decline, from sending.
ACCEPT_WINDOW = {Priority.EMERGENCY: timedelta(hours=24), Priority.URGENT: timedelta(hours=72),
                 Priority.NORMAL: timedelta(days=14)}
# Complete-by when the caseworker gives none, from sending.
DEFAULT_COMPLETION = {Priority.EMERGENCY: timedelta(days=14), Priority.URGENT: timedelta(days=30),
                      Priority.NORMAL: timedelta(days=90)}


_OUTCOME_LABEL = []  # the admin-edited labels (icrs.referrals.vocabularies); pure Python here


def use_outcome_labels(label_of):
    _OUTCOME_LABEL[:] = [label_of]


class Outcome(LabelledEnum):
    """Codes fixed by OUTCOMES_FOR; the labels are the programme's (icrs.lookups)."""

    SERVED = "served", _l("Served")
    PARTIALLY_SERVED = "partially_served", _l("Partially served")
    NO_SHOW = "no_show", _l("Did not come")
    UNREACHABLE = "unreachable", _l("Unreachable")
    INELIGIBLE = "ineligible", _l("Found ineligible")
    REFUSED_BY_CLIENT = "refused_by_client", _l("Refused by the person")

    @property
    def default_label(self):
        return self._label_

    @property
    def label(self):
        return _OUTCOME_LABEL[0](self.value) if _OUTCOME_LABEL else self._label_


# Which outcomes fit which ending: "completed" means some service was given.
OUTCOMES_FOR = {
    S.COMPLETED: (Outcome.SERVED, Outcome.PARTIALLY_SERVED),
    S.NOT_COMPLETED: (Outcome.PARTIALLY_SERVED, Outcome.NO_SHOW, Outcome.UNREACHABLE,
                      Outcome.INELIGIBLE, Outcome.REFUSED_BY_CLIENT),
}


def check(current, target, role):
    """Raise IllegalTransition unless `role` may move a referral from `current` to `target`."""
    allowed_role = TRANSITIONS.get((current, target))
    if allowed_role is None:
        raise IllegalTransition(_l("A referral cannot go from “%(a)s” to “%(b)s”.",
                                   a=_label(current), b=_label(target)))
    if allowed_role != role:
        raise IllegalTransition(_l("Only the %(who)s can set “%(b)s”.",
                                   who=_ROLE_NAMES[allowed_role], b=_label(target)))


def allowed_targets(current, role) -> list:
    """Statuses this role may set from `current`, in lifecycle order."""
    return [to for to in ReferralStatus
            if TRANSITIONS.get((current, to)) == role]


def can_acknowledge(status, acknowledged) -> bool:
    return status in TO_ACKNOWLEDGE and not acknowledged


def check_outcome(target, outcome):
    """Completed/not completed need an outcome that fits; others take none."""
    if target in OUTCOMES_FOR:
        fits = ", ".join(str(o.label) for o in OUTCOMES_FOR[target])
        if outcome is None:
            raise IllegalTransition(_l("Choose the outcome. A referral “%(b)s” ends with: "
                                       "%(fits)s.", b=target.label, fits=fits))
        if outcome not in OUTCOMES_FOR[target]:
            raise IllegalTransition(_l("“%(o)s” contradicts “%(b)s”. A referral “%(b)s” ends "
                                       "with: %(fits)s.", o=outcome.label, b=target.label,
                                       fits=fits))
    elif outcome is not None:
        raise IllegalTransition(_l("An outcome is only given when the referral ends."))


def accept_by(sent_at, priority):
    return sent_at + ACCEPT_WINDOW[Priority(priority)]


def default_complete_by(sent_at, priority):
    return (sent_at + DEFAULT_COMPLETION[Priority(priority)]).date()


def _label(status):
    return status.label if status is not None else _l("(new)")


_ROLE_NAMES = {CASEWORKER: _l("caseworker"), PROVIDER: _l("service provider")}

"""Stage moves that a supervisor approves (icrs/approvals): reintegration, exit as "found
ineligible" and reopening a closed case. The assigned caseworker asks, with a reason, when the
stage rules allow the move; a supervisor of the case's area approves (the stage service then
makes the move in the supervisor's name, guards checked again) or rejects with a comment; after a
rejection the caseworker may ask again. Nobody makes these moves by the generic stage form."""
import uuid

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from icrs.approvals import kinds
from icrs.approvals import services as approvals
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.extensions import db
from icrs.people import stages
from icrs.people.follow_ups import trend
from icrs.people.models import Person
from icrs.people.states import INELIGIBLE, SUPERVISOR, IllegalTransition, Stage, check

REINTEGRATION = "person.reintegration"
EXIT_INELIGIBLE = "person.exit_ineligible"
REOPENING = "person.reopening"

# kind -> (stage target, coded reason) that its approval makes (states.BY_APPROVAL)
MOVES = {
    REINTEGRATION: (Stage.REINTEGRATED, None),
    EXIT_INELIGIBLE: (Stage.EXITED, INELIGIBLE),
    REOPENING: ("reopen", None),
}


# --- who ------------------------------------------------------------------------------------------
def can_request(user, person) -> bool:
    """The assigned caseworker of a case that is not erased."""
    return person is not None and not person.is_erased and person.can_edit(user)


def can_approve(user, person) -> bool:
    """A supervisor whose area covers the case (its region's, or a national one); the
    approvals' state machine keeps out the requester."""
    return person is not None and not person.is_erased and person.can_supervise(user)


def _decidable_by(user):
    from icrs.approvals.models import ApprovalRequest

    if user.role != Role.SUPERVISOR or user.scope.nowhere:
        return sa.false()
    return ApprovalRequest.person_id.in_(sa.select(Person.id).where(
        user.scope.clause(Person), Person.erased_at.is_(None)))


def approvers(person):
    """The active supervisors who may decide, for the notification."""
    supervisors = db.session.scalars(sa.select(User).where(
        User.role == Role.SUPERVISOR, User.active.is_(True))).all()
    return [u for u in supervisors if can_approve(u, person)]


# --- is the move possible now? --------------------------------------------------------------------
def missing_for(person, code) -> list:
    """What the move still needs (empty: possible now); IllegalTransition when it cannot be
    made from the case's stage at all. The approver's role is the one the stage rules name."""
    target, reason = MOVES[code]
    return check(person.stage, target, SUPERVISOR, stages.gather_facts(person, reason))


def possible_now(person, code) -> bool:
    try:
        return missing_for(person, code) == []
    except IllegalTransition:
        return False


def _check_possible(person, code):
    try:
        missing = missing_for(person, code)
    except IllegalTransition as exc:
        raise DomainError(_NOT_FROM_HERE[code], "kind") from exc
    if missing:
        raise DomainError(_l("Not yet possible. Missing: %(what)s.",
                             what=", ".join(str(m) for m in missing)), "kind")


_NOT_FROM_HERE = {
    REINTEGRATION: _l("The case must be in follow-up first."),
    EXIT_INELIGIBLE: _l("Only an open or suspended case can exit."),
    REOPENING: _l("Only a closed case can be reopened."),
}


# --- asking and approving -------------------------------------------------------------------------
def refusal():
    return AccessDenied(_l("Only the assigned caseworker can ask for this."))


def request_move(actor, person, code, reason):
    """Ask a supervisor to approve the move of kind `code` (an ApprovalRequest; the approvers
    are told). Refused unless the actor may ask and the stage rules allow the move now."""
    if code not in MOVES:
        raise DomainError(_l("Choose what to ask for."), "kind")
    if not can_request(actor, person):
        raise refusal()
    _check_possible(person, code)
    return approvals.request_approval(actor, code, person, person.id, reason)


def requestable(person, user) -> list:
    """The kinds the user may ask for on this case now (no request of that kind open)."""
    if not can_request(user, person):
        return []
    return [code for code in MOVES if possible_now(person, code)
            and approvals.open_request(code, person.id) is None]


def _on_approved(request, person, actor):
    target, reason = MOVES[request.kind]
    stages.change_stage(actor, person, target, reason, approval=request)


def _load(subject_id):
    try:
        return db.session.get(Person, uuid.UUID(str(subject_id)))
    except ValueError:
        return None


def _subject_url(person, user):
    return url_for("people.detail", person_id=person.id) \
        if not person.is_erased and person.can_view(user) else None


def _scores_panel(person, user):
    """The reintegration decision reads the latest sustainability scores."""
    if person.is_erased or not person.can_view(user):
        return None
    # an autoescaped template's output
    return Markup(render_template("people/_sustainability_latest.html",  # noqa: S704
                                  sustainability=trend(person)))


LABELS = {
    REINTEGRATION: _l("Reintegration"),
    EXIT_INELIGIBLE: _l("Exit: found ineligible"),
    REOPENING: _l("Reopening a closed case"),
}

for _code in MOVES:
    kinds.register(kinds.ApprovalKind(
        code=_code, label=LABELS[_code], subject_type="person", load=_load,
        can_request=can_request, can_approve=can_approve, decidable_by=_decidable_by,
        on_approved=_on_approved, subject_label=lambda p: p.case_number,
        subject_url=_subject_url, approvers=approvers,
        panel=_scores_panel if _code == REINTEGRATION else None))

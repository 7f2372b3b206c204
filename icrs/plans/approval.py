"""The budget approval of a plan (icrs/approvals, kind "plan.budget"): when the actions'
total budget is over ICRS_PLAN_APPROVAL_BUDGET, the agreed version comes into force only once
a supervisor of the case's area approves it; a rejection (with its comment) or a cancellation
returns it to draft. The requester never decides (the approvals' four-eyes rule)."""
import uuid

from flask import url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from icrs.approvals import kinds
from icrs.approvals import services as approvals
from icrs.extensions import db
from icrs.people import stage_approvals
from icrs.plans.models import PlanStatus, PlanVersion

KIND = "plan.budget"


def ask(actor, version, note=None):
    """Ask for the approval; the version waits for it."""
    reason = _l("Plan version %(n)s: actions budget %(total)s XAF, over the %(limit)s XAF "
                "that need a supervisor's approval.", n=version.number,
                total=format_decimal(version.total_budget),
                limit=format_decimal(_threshold()))
    text = str(reason) + (f"\n\n{note.strip()}" if (note or "").strip() else "")
    req = approvals.request_approval(actor, KIND, version, version.person_id, text)
    version.status = PlanStatus.AWAITING_APPROVAL
    db.session.flush()
    return req


def pending_request(version):
    return approvals.open_request(KIND, version.id)


def _threshold():
    from icrs.plans.services import approval_threshold
    return approval_threshold()


def _can_request(user, version) -> bool:
    return version.is_draft and version.person.can_edit(user)


def _can_approve(user, version) -> bool:
    return version.status == PlanStatus.AWAITING_APPROVAL \
        and stage_approvals.can_approve(user, version.person)


def _load(subject_id):
    try:
        return db.session.get(PlanVersion, uuid.UUID(str(subject_id)))
    except ValueError:
        return None


def _subject_url(version, user):
    person = version.person
    return url_for("plans.version", person_id=person.id, version_id=version.id) \
        if not person.is_erased and person.can_view(user) else None


def _on_approved(request, version, actor):
    from icrs.plans.services import put_in_force
    put_in_force(actor, version)


def _on_closed(request, version, actor):
    from icrs.plans.services import return_to_draft
    if version.status == PlanStatus.AWAITING_APPROVAL:
        return_to_draft(actor, version)


kinds.register(kinds.ApprovalKind(
    code=KIND, label=_l("Plan over the budget threshold"), subject_type="plan_version",
    load=_load, can_request=_can_request, can_approve=_can_approve,
    decidable_by=stage_approvals._decidable_by, on_approved=_on_approved,
    subject_label=lambda v: v.person.case_number, subject_url=_subject_url,
    approvers=lambda v: stage_approvals.approvers(v.person), on_closed=_on_closed))

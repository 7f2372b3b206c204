"""Preparing, agreeing and revising a person's plan, and keeping its actions' progress. Each
function takes the acting user, checks the rules, writes the audit entry and flushes."""
import datetime as dt

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.audit.services import record
from icrs.auth.models import User
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.people.stages import advance_when_ready
from icrs.plans import links
from icrs.plans.models import (
    ActionStatus,
    ActionType,
    AgreementMethod,
    PlanAction,
    PlanGoal,
    PlanStatus,
    PlanVersion,
)
from icrs.plans.queries import current_plan, open_version

MAX_TEXT = 4000
MAX_GOALS, MAX_ACTIONS = 20, 40
MAX_BUDGET = 100_000_000
PERSON = "person"  # the owner "the person themself"


def approval_threshold() -> int:
    """Over this total action budget (XAF), agreeing the plan needs a supervisor's approval."""
    return int(current_app.config.get("ICRS_PLAN_APPROVAL_BUDGET", 300000))


def needs_approval(version) -> bool:
    return version.total_budget > approval_threshold()


def default_pathway(person):
    """The plan in force's pathway, else the latest profile's preferred option."""
    from icrs.profiling.queries import latest_version

    plan = current_plan(person)
    if plan is not None:
        return plan.pathway
    profile = latest_version(person)
    return profile.preferred_option if profile is not None else None


def can_prepare(user, person) -> bool:
    return person.can_edit(user)


def _editable(actor, person):
    if not can_prepare(actor, person):
        raise AccessDenied(_l("Only the assigned caseworker can prepare this plan."))


def _text(value, field):
    value = (value or "").strip()
    if not value:
        raise DomainError(_l("This field is required."), field)
    if len(value) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), field)
    return value


# --- the draft ------------------------------------------------------------------------------------
def save_draft(actor, person, pathway, goals, actions) -> PlanVersion:
    """Create or update the person's draft. `goals`: texts; `actions`: dicts with description,
    action_type, owner ("person" or a user id), due_date, budget, status, carrier."""
    _editable(actor, person)
    version = open_version(person)
    if version is not None and not version.is_draft:
        raise DomainError(_l("This version is waiting for the budget approval: it cannot be "
                             "changed. Cancel the request first."))
    pathway = _pathway(pathway, version)
    goals = [g for g in (_text(g, f"goals-{i}-text") if (g or "").strip() else None
                         for i, g in enumerate(goals)) if g]
    if not goals:
        raise DomainError(_l("Write at least one goal."), "goals-0-text")
    if len(goals) > MAX_GOALS or len(checked_rows(actions)) > MAX_ACTIONS:
        raise DomainError(_l("Too many lines in one plan."))
    # None: a blank row of the form (kept so that each message finds its row)
    checked = [_action(person, i, a) for i, a in enumerate(actions) if a is not None]
    created = version is None
    if created:
        version = _new_version(actor, person)
    version.pathway, version.updated_at = pathway, utcnow()
    _replace_lines(version, goals, checked)
    record("plans.draft_saved", actor=actor, obj=person, version=version.number,
           created=created, goals=len(goals), actions=len(checked),
           budget=version.total_budget)
    db.session.flush()
    return version


def checked_rows(actions):
    return [a for a in actions if a is not None]


def _pathway(pathway, version):
    if lookups.is_valid("pathway", pathway):
        return pathway
    if version is not None and version.pathway == pathway:  # a retired pathway kept
        return pathway
    raise DomainError(_l("Choose a pathway."), "pathway")


def _new_version(actor, person):
    last = db.session.scalar(sa.select(sa.func.max(PlanVersion.number))
                             .where(PlanVersion.person_id == person.id)) or 0
    base = current_plan(person)
    version = PlanVersion(person_id=person.id, number=last + 1, created_by_id=actor.id,
                          status=PlanStatus.DRAFT, based_on_id=base.id if base else None,
                          pathway=base.pathway if base else "")
    db.session.add(version)
    return version


def _replace_lines(version, goals, actions):
    version.goals.clear()
    version.actions.clear()
    db.session.flush()
    for i, text in enumerate(goals):
        goal = PlanGoal(person_id=version.person_id, position=i)
        version.goals.append(goal)
        goal.text = text
    for i, data in enumerate(actions):
        description = data.pop("description")
        action = PlanAction(person_id=version.person_id, position=i, **data)
        version.actions.append(action)
        action.description = description


def _action(person, i, data) -> dict:
    """One action's values, checked (messages at its row's fields)."""
    field = f"actions-{i}-"
    try:
        action_type = ActionType(data.get("action_type"))
    except ValueError:
        raise DomainError(_l("Choose a type."), field + "action_type") from None
    try:
        status = ActionStatus(data.get("status") or ActionStatus.PLANNED)
    except ValueError:
        raise DomainError(_l("Choose a status."), field + "status") from None
    due = data.get("due_date")
    if not isinstance(due, dt.date):
        raise DomainError(_l("Give a due date."), field + "due_date")
    if not dt.date(2000, 1, 1) <= due <= today() + dt.timedelta(days=5 * 366):
        raise DomainError(_l("Give a due date within the next five years."), field + "due_date")
    budget = data.get("budget")
    if budget is not None and not (isinstance(budget, int) and 0 <= budget <= MAX_BUDGET):
        raise DomainError(_l("Give a whole amount, zero or more."), field + "budget")
    return {"description": _text(data.get("description"), field + "description"),
            "action_type": action_type, "status": status, "due_date": due, "budget": budget,
            **_owner(person, data.get("owner"), field + "owner"),
            **_carrier(person, data.get("carrier"), field + "carrier")}


def _owner(person, value, field):
    if value == PERSON:
        return {"owner_is_person": True, "owner_id": None}
    user = db.session.get(User, value) if isinstance(value, int) else None
    if user is None or not user.active or user.site_id != person.site_id:
        raise DomainError(_l("Choose who does it: the person, or someone of the site."), field)
    return {"owner_is_person": False, "owner_id": user.id}


def _carrier(person, value, field):
    try:
        kind, row_id = links.parse_carrier(value)
    except ValueError:
        raise DomainError(_l("Choose one of the person's referrals or assistance."),
                          field) from None
    carrier = links.load_carrier(kind, row_id)
    if kind and (carrier is None or carrier.person_id != person.id):
        raise DomainError(_l("Choose one of the person's referrals or assistance."), field)
    return {"referral_id": row_id if kind == "referral" else None,
            "entitlement_id": row_id if kind == "entitlement" else None}


def discard_draft(actor, version):
    _editable(actor, version.person)
    if not version.is_draft:
        raise DomainError(_l("Only a draft can be discarded."))
    record("plans.draft_discarded", actor=actor, obj=version.person, version=version.number)
    db.session.delete(version)
    db.session.flush()


# --- progress on the version in force -------------------------------------------------------------
def update_progress(actor, action, status, carrier):
    """The status of an action of the plan in force, and what carries it out."""
    version = action.version
    _editable(actor, version.person)
    if version.status not in (PlanStatus.AGREED, PlanStatus.DRAFT):
        raise DomainError(_l("Only the plan in force or a draft is kept up to date."))
    try:
        action.status = ActionStatus(status)
    except ValueError:
        raise DomainError(_l("Choose a status."), "status") from None
    for name, value in _carrier(version.person, carrier, "carrier").items():
        setattr(action, name, value)
    record("plans.action_updated", actor=actor, obj=version.person, version=version.number,
           line=action.position + 1, status=action.status.value,
           linked=action.referral_id is not None or action.entitlement_id is not None)
    db.session.flush()


# --- the person's agreement -----------------------------------------------------------------------
def record_agreement(actor, version, agreed_on, method, witness_name=None, note=None):
    """The person agreed to this draft: it comes into force now, or, over the budget
    threshold, once a supervisor approves (the approvers are told)."""
    from icrs.plans import approval

    person = version.person
    _editable(actor, person)
    if not version.is_draft:
        raise DomainError(_l("Only a draft is agreed; this version is no longer one."))
    if not version.goals:
        raise DomainError(_l("Write at least one goal."))
    _agreement(version, agreed_on, method, witness_name)
    version.agreement_recorded_by_id = actor.id
    over = needs_approval(version)
    record("plans.agreement_recorded", actor=actor, obj=person, version=version.number,
           method=version.agreement_method.value, budget=version.total_budget,
           approval_needed=over)
    db.session.flush()
    if over:
        approval.ask(actor, version, note)
    else:
        put_in_force(actor, version)
    return version


def _agreement(version, agreed_on, method, witness_name):
    if not isinstance(agreed_on, dt.date):
        raise DomainError(_l("Give the day the person agreed."), "agreed_on")
    if agreed_on > today() or agreed_on < version.created_at.date() - dt.timedelta(days=1):
        raise DomainError(_l("The day of the agreement is between the draft's creation and "
                             "today."), "agreed_on")
    try:
        method = AgreementMethod(method)
    except ValueError:
        raise DomainError(_l("Choose how the person agreed."), "method") from None
    witness = (witness_name or "").strip()
    if method == AgreementMethod.VERBAL_WITNESSED and not witness:
        raise DomainError(_l("A verbal agreement needs the witness's name."), "witness_name")
    if len(witness) > 120:
        raise DomainError(_l("Keep it under %(n)s characters.", n=120), "witness_name")
    version.agreed_on, version.agreement_method = agreed_on, method
    version.witness_name = witness or None


def put_in_force(actor, version):
    """The agreed version replaces the one in force (kept as history)."""
    previous = current_plan(version.person)
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        db.session.flush()
    version.status, version.agreed_at = PlanStatus.AGREED, utcnow()
    record("plans.agreed", actor=actor, obj=version.person, version=version.number,
           pathway=version.pathway, budget=version.total_budget)
    db.session.flush()
    advance_when_ready(version.agreement_recorded_by or actor, version.person)


def return_to_draft(actor, version):
    """The budget approval was refused or withdrawn: the draft may be changed and agreed again
    (the agreement recorded for it no longer holds)."""
    version.status = PlanStatus.DRAFT
    version.agreed_on = version.agreement_method = version.witness_name = None
    version.agreement_recorded_by_id = None
    record("plans.returned_to_draft", actor=actor, obj=version.person, version=version.number)
    db.session.flush()

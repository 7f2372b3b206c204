"""The plans' answers to the people domain (icrs.people.signals): the case page panel, the
"planned" stage's fact, the timeline, erasure and merge of a person's plan versions."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.approvals import services as approvals
from icrs.extensions import db
from icrs.people import signals
from icrs.plans import approval, services
from icrs.plans.models import PlanAction, PlanGoal, PlanStatus, PlanVersion
from icrs.plans.queries import current_plan, has_agreed_plan, open_version, versions

MODELS = (PlanVersion, PlanGoal, PlanAction)


def panel(person, user):
    """What the case page shows: the version in force (decrypted only here and on the plan
    pages), the one being prepared, and how many earlier versions there are."""
    plan, pending = current_plan(person), open_version(person)
    return {"plan": plan, "pending": pending, "count": len(versions(person)),
            "request": approval.pending_request(pending) if pending is not None else None,
            "can_prepare": services.can_prepare(user, person),
            "default_pathway": services.default_pathway(person)}


@signals.case_panels.connect
def _case_panel(person, user=None, **_):
    if user is None or not person.can_view(user):
        return {}
    return {"plan": panel(person, user)}


@signals.stage_facts.connect
def _stage_facts(person, **_):
    return {"has_pathway": has_agreed_plan(person)}


@signals.timeline_events.connect
def _timeline(person, **_):
    """No personal values: the version's number and its pathway's name."""
    from icrs import lookups
    for v in versions(person):
        if v.agreed_at is not None:
            yield (v.agreed_at, "plan", _l("Reintegration plan version %(n)s agreed",
                                           n=v.number),
                   lookups.label("pathway", v.pathway), v.agreement_recorded_by or v.created_by)


@signals.person_erasing.connect
def _on_person_erasing(person, actor=None, **_):
    """The goals, descriptions and witness die with the data key; a version waiting for its
    budget approval goes back to draft, its request withdrawn."""
    for version in db.session.scalars(sa.select(PlanVersion).where(
            PlanVersion.person_id == person.id,
            PlanVersion.status == PlanStatus.AWAITING_APPROVAL)):
        approvals.withdraw_open(actor, approval.KIND, version.id)
        version.status, version.agreed_on, version.agreement_method = PlanStatus.DRAFT, None, None
    db.session.flush()


@signals.merge_holdings.connect
def _merge_holdings(merged, **_):
    return {_l("Plan versions"): db.session.scalar(
        sa.select(sa.func.count()).select_from(PlanVersion)
        .where(PlanVersion.person_id == merged.id))}


@signals.merge_conflicts.connect
def _merge_conflicts(merged, survivor=None, **_):
    if open_version(merged) is not None and open_version(survivor) is not None:
        return _l("Both cases have a plan being prepared: discard one of the drafts first.")
    return None


@signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    """The merged case's versions follow it, numbered after the survivor's; only the
    survivor's plan stays in force (the merged case's becomes history)."""
    last = db.session.scalar(sa.select(sa.func.max(PlanVersion.number))
                             .where(PlanVersion.person_id == survivor.id)) or 0
    survivor_has_plan = current_plan(survivor) is not None
    for version in db.session.scalars(sa.select(PlanVersion).where(
            PlanVersion.person_id == merged.id).order_by(PlanVersion.number)).all():
        if version.status == PlanStatus.AGREED and survivor_has_plan:
            version.status = PlanStatus.SUPERSEDED
        last += 1
        version.number, version.person_id = last, survivor.id
        for row in list(version.goals) + list(version.actions):
            row.person_id = survivor.id  # the column: re-encrypted under the survivor's key

"""Reading a person's plan: the version in force, the draft, the history. Imported by the
domains that act on the plan (referrals' matching, assistance eligibility)."""
import sqlalchemy as sa

from icrs.extensions import db
from icrs.plans.models import PlanStatus, PlanVersion


def current_plan(person):
    """The agreed version in force, or None."""
    return db.session.scalar(sa.select(PlanVersion).where(
        PlanVersion.person_id == person.id, PlanVersion.status == PlanStatus.AGREED)
        .order_by(PlanVersion.number.desc()).limit(1))


def open_version(person):
    """The version being prepared (a draft, or one waiting for approval), or None."""
    return db.session.scalar(sa.select(PlanVersion).where(
        PlanVersion.person_id == person.id,
        PlanVersion.status.in_([PlanStatus.DRAFT, PlanStatus.AWAITING_APPROVAL]))
        .order_by(PlanVersion.number.desc()).limit(1))


def versions(person):
    """Every version, newest first."""
    return db.session.scalars(sa.select(PlanVersion).where(PlanVersion.person_id == person.id)
                              .order_by(PlanVersion.number.desc())).all()


def has_agreed_plan(person) -> bool:
    return current_plan(person) is not None

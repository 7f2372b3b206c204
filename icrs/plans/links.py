"""The referral or entitlement that carries out an action: which ones a person has, and the
action status each of their states means. The models are reached through the action's
relationships (by table name), so plans never import referrals or assistance."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.core.fields import parse_uuid
from icrs.extensions import db
from icrs.plans.models import ActionStatus, PlanAction

A = ActionStatus
# referral status -> the action's
REFERRAL_STATUS = {"draft": A.PLANNED, "sent": A.IN_PROGRESS, "accepted": A.IN_PROGRESS,
                   "in_service": A.IN_PROGRESS, "on_hold": A.IN_PROGRESS,
                   "completed": A.DONE, "declined": A.DROPPED, "not_completed": A.DROPPED,
                   "withdrawn": A.DROPPED}
# entitlement status -> the action's (a rejected proposal may be sent again: still planned)
ENTITLEMENT_STATUS = {"proposed": A.PLANNED, "requested": A.PLANNED, "rejected": A.PLANNED,
                      "approved": A.IN_PROGRESS, "disbursed": A.DONE, "cancelled": A.DROPPED}
KINDS = ("referral", "entitlement")


def model(kind):
    return PlanAction.__mapper__.relationships[kind].mapper.class_


def carrier_status(carrier):
    if carrier is None:
        return None
    table = REFERRAL_STATUS if carrier.__tablename__ == "referral" else ENTITLEMENT_STATUS
    return table.get(str(carrier.status.value))


def carrier_label(carrier):
    """What a list shows of a carrier: no personal data (the service, the assistance type)."""
    if carrier is None:
        return ""
    if carrier.__tablename__ == "referral":
        return _l("Referral: %(service)s (%(status)s)", service=carrier.service.name,
                  status=carrier.status.label)
    return _l("Assistance: %(type)s (%(status)s)", type=carrier.assistance_type.name,
              status=carrier.status.label)


def carriers_of(person):
    """[(value, label)] of the person's referrals and entitlements, newest first."""
    out = []
    for kind, order in (("referral", "created_at"), ("entitlement", "proposed_at")):
        cls = model(kind)
        rows = db.session.scalars(sa.select(cls).where(cls.person_id == person.id)
                                  .order_by(getattr(cls, order).desc())).all()
        out += [(f"{kind}:{row.id}", carrier_label(row)) for row in rows]
    return out


def parse_carrier(value):
    """(kind, id) from a form value "referral:<uuid>" / "entitlement:<uuid>"; (None, None) for
    none; ValueError for anything else."""
    if not value:
        return None, None
    kind, _sep, raw = str(value).partition(":")
    row_id = parse_uuid(raw)
    if kind not in KINDS or row_id is None:
        raise ValueError(value)
    return kind, row_id


def load_carrier(kind, row_id):
    return db.session.get(model(kind), row_id) if kind else None

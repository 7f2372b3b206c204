"""Read-only queries: lists per role, counts, the case page panel and the case timeline."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from icrs.auth.scope import PlaceColumns
from icrs.directory.models import Service
from icrs.extensions import db
from icrs.people.models import Person
from icrs.people.queries import erased_ids
from icrs.people.states import Stage
from icrs.referrals import sensitive
from icrs.referrals.deadlines import overdue_clause
from icrs.referrals.models import Referral, ReferralEvent
from icrs.referrals.states import OPEN, TO_ACKNOWLEDGE, ReferralStatus

S = ReferralStatus
# the referral's copy of its person's place: the staff lists spare the join to person
ON_REFERRAL = PlaceColumns(region_id=Referral.person_region_id, site_id=Referral.person_site_id)


def referral_counts(person) -> dict:
    """For the stage guards: referrals ever sent, ever accepted, still open."""
    row = db.session.execute(sa.select(
        sa.func.count(Referral.sent_at), sa.func.count(Referral.accepted_at),
        sa.func.count().filter(Referral.status.in_(OPEN)))
        .where(Referral.person_id == person.id)).one()
    return {"sent": row[0], "accepted": row[1], "open": row[2]}


def for_person(person):
    return db.session.scalars(
        sa.select(Referral).where(Referral.person_id == person.id)
        .options(selectinload(Referral.service).selectinload(Service.category),
                 selectinload(Referral.organisation))
        .order_by(Referral.created_at.desc())).all()


def case_referrals(person, user) -> dict:
    """The referrals panel of the case page."""
    items = for_person(person)
    counts = referral_counts(person)
    return {
        "items": items,
        "can_refer": user.can("referrals.create") and person.can_edit(user),
        "to_acknowledge": sum(1 for r in items if r.needs_acknowledgement),
        "overdue": sum(1 for r in items if r.is_overdue),
        "propose_follow_up": person.stage in (Stage.REFERRED, Stage.IN_SERVICE)
        and counts["sent"] > 0 and counts["open"] == 0,
        "counts": counts,
    }


def timeline_events(person, user=None):
    """(at, kind, title, detail, actor) for every referral event of the person, as `user` may
    see them (a GBV service's name only to those who may know)."""
    rows = db.session.execute(
        sa.select(ReferralEvent, Referral).join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(ReferralEvent.person_id == person.id)
        .options(selectinload(Referral.service), selectinload(ReferralEvent.actor))).all()
    for event, referral in rows:
        shown = sensitive.shows_service(referral, user)
        yield (event.at, "referral", _event_title(event, referral, user),
               (event.note or "") if shown else "", event.actor)


def _event_title(event, referral, user):
    service = sensitive.service_label(referral, user)
    if event.kind == "acknowledged":
        return _l("Referral to %(service)s: outcome acknowledged", service=service)
    if event.kind == "consent_withdrawn":
        return _l("Referral to %(service)s: details hidden from the provider (consent "
                  "withdrawn)", service=service)
    return _l("Referral to %(service)s: %(status)s", service=service,
              status=event.to_status.label if event.to_status else "")


# --- lists ----------------------------------------------------------------------------------------
def staff_scope(stmt, user):
    """Caseworkers see their site's referrals, supervisors their region's (or all). Read from
    the referral's copy of its person's site and region: a site holds tens of thousands of
    referrals, and joining each to its person was most of the list's time."""
    scope = user.scope
    return stmt.where(scope.clause(ON_REFERRAL),
                      Referral.person_id.not_in(erased_ids().where(scope.clause(Person))))


def provider_scope(stmt, user):
    return stmt.where(Referral.organisation_id == user.organisation_id,
                      Referral.status != S.DRAFT)


def filtered(stmt, status=None, overdue=False, mine_user=None):
    if status:
        stmt = stmt.where(Referral.status == S(status))
    if overdue:
        stmt = stmt.where(overdue_clause())
    if mine_user is not None:
        stmt = stmt.where(Referral.person_id.in_(
            sa.select(Person.id).where(Person.caseworker_id == mine_user.id)))
    return stmt


def ordered(stmt):
    return stmt.options(selectinload(Referral.service).selectinload(Service.category),
                        selectinload(Referral.person)) \
        .order_by(Referral.status.in_(TO_ACKNOWLEDGE).desc(), Referral.accept_by.is_(None),
                  Referral.created_at.desc(), Referral.id)


def list_counts(base_stmt) -> tuple[dict, int]:
    """({status: count}, overdue count) over the scoped select, in one pass (the list tabs)."""
    overdue = sa.case((overdue_clause(), 1), else_=0)
    sub = base_stmt.with_only_columns(Referral.status, overdue.label("overdue")).subquery()
    rows = db.session.execute(sa.select(sub.c.status, sa.func.count(), sa.func.sum(sub.c.overdue))
                              .group_by(sub.c.status))
    counts, late = {}, 0
    for status, n, overdue_n in rows:
        counts[S(status)] = n
        late += overdue_n or 0
    return counts, late

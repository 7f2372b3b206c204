"""Demo follow-up outcomes: people whose referral was completed get the follow-ups scheduled at
1, 3, 6 and 12 months after it (the 6- and 12-month ones still ahead), and the 1- and 3-month
visits recorded with coded outcomes that improve on the baseline (the first profile), so the case
page shows a rising sustainability score and the dashboard its change. Through the services."""
import datetime as dt

import sqlalchemy as sa

from icrs.core.errors import DomainError
from icrs.core.timeutil import today
from icrs.extensions import db
from icrs.people import follow_ups
from icrs.people.models import FollowUp, Person
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus

HOW_MANY = 12
FIRST = {"visit_type": "home", "activity": "training", "income_band": "lt25k",
         "business_running": "yes", "housing": "temporary", "family_acceptance": 3,
         "community_acceptance": 2, "safety": "some", "who5_cheerful": 3, "who5_calm": 2,
         "who5_active": 2, "who5_rested": 3, "who5_interest": 2}
SECOND = {"visit_type": "phone", "activity": "own_business", "income_band": "25k_50k",
          "business_running": "yes", "housing": "stable", "family_acceptance": 4,
          "community_acceptance": 3, "safety": "none", "who5_cheerful": 4, "who5_calm": 3,
          "who5_active": 4, "who5_rested": 3, "who5_interest": 4}
NOTES = {True: "Visite : activité lancée, la famille soutient.",
         False: "Visit: activity started, the family is supportive."}
FRENCH_SITES = {"MER", "MOR", "MOK"}


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)
                         .where(FollowUp.source_kind.is_not(None))):
        ctx.summary.append("Follow-up outcomes: already present.")
        return
    visits = scheduled = 0
    for referral in _completed_referrals():
        person = referral.person
        made = follow_ups.schedule_after(person.caseworker, person,
                                         follow_ups.REFERRAL_COMPLETED, referral.id,
                                         on=today() - dt.timedelta(days=100))
        scheduled += len(made)
        visits += _record(person, [f for f in made if f.offset_months in (1, 3)])
    db.session.flush()
    ctx.summary.append(f"Follow-up outcomes: {scheduled} follow-ups scheduled after completed "
                       f"referrals, {visits} structured visits recorded.")


def _completed_referrals():
    rows = db.session.scalars(sa.select(Referral).join(Person, Person.id == Referral.person_id)
                              .where(Referral.status == ReferralStatus.COMPLETED,
                                     Person.erased_at.is_(None), Person.merged_into_id.is_(None),
                                     Person.caseworker_id.is_not(None))
                              .order_by(Referral.created_at)).all()
    seen, chosen = set(), []
    for referral in rows:  # one event per person is enough to show the schedule
        if referral.person_id not in seen:
            seen.add(referral.person_id)
            chosen.append(referral)
    return chosen[:HOW_MANY]


def _record(person, due):
    done = 0
    for follow_up, codes in zip(due, (FIRST, SECOND), strict=False):
        visit_day = max(min(follow_up.due_date, today()), person.registered_at.date())
        try:
            follow_ups.record_visit(person.caseworker, person, follow_up,
                                    {**codes, "visit_date": visit_day},
                                    NOTES[person.site.code in FRENCH_SITES])
        except DomainError:
            continue  # a case its caseworker may no longer edit: left scheduled
        done += 1
    return done

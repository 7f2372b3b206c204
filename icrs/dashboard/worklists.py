"""Worklists for supervisors: overdue follow-ups (and overdue referrals, see referral_queries).
Rows carry case numbers, places, dates and staff names only, never a person's name."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from icrs.auth.models import User
from icrs.core.models import Site
from icrs.core.timeutil import today
from icrs.people.models import FollowUp, Person


def overdue_follow_ups(filters, on: dt.date | None = None):
    """SELECT of open follow-ups past their due date, oldest first, as plain columns."""
    worker = aliased(User)
    on = on or today()
    return (sa.select(Person.id.label("person_id"), Person.case_number, Site.code.label("site"),
                      FollowUp.due_date.label("due"), worker.full_name.label("assigned_to"))
            .select_from(FollowUp)
            .join(Person, Person.id == FollowUp.person_id)
            .join(Site, Site.id == Person.site_id)
            .outerjoin(worker, worker.id == FollowUp.assigned_to_id)
            .where(FollowUp.done_at.is_(None), FollowUp.due_date < on,
                   Person.erased_at.is_(None), *filters.person_conditions())
            .order_by(FollowUp.due_date, Person.case_number))


def overdue_follow_up_counts(filters, dim, on=None):
    """(None, column, n) triples for the overdue follow-up summary row."""
    on = on or today()
    return (sa.select(sa.literal("follow_ups").label("r"), dim.expr.label("c"), sa.func.count())
            .select_from(FollowUp).join(Person, Person.id == FollowUp.person_id)
            .where(FollowUp.done_at.is_(None), FollowUp.due_date < on,
                   Person.erased_at.is_(None), *filters.person_conditions())
            .group_by(dim.expr))

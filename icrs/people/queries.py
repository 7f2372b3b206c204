"""Read-side queries for people pages: scope, search, filters, sorting."""
import re

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from icrs.core.timeutil import today
from icrs.crypto import blind_index, matches
from icrs.people.models import FollowUp, Person

CASE_NUMBER = re.compile(r"^[A-Z]{2}-[A-Z]{3}-\d{4}-\d{5}$")


def erased_ids():
    """SELECT of the erased people's ids, for `person_id NOT IN (...)` on rows that carry a
    copy of the person's dimensions (referrals): the few erased, read through their index."""
    return sa.select(Person.id).where(Person.erased_at.is_not(None))


def scoped(stmt, user):
    """Restrict to the people the user may see (icrs.auth.scope); erased cases and merged ones
    (tombstones, icrs.people.merge) are never listed."""
    return stmt.where(Person.erased_at.is_(None), Person.merged_into_id.is_(None),
                      user.scope.clause(Person))


def search(stmt, kind, q):
    q = (q or "").strip()
    if not q:
        return stmt
    if kind == "case":  # a merged case's number finds the case it was merged into
        number = q.upper()
        merged_into = sa.select(Person.merged_into_id).where(Person.case_number == number)
        return stmt.where(sa.or_(Person.case_number == number,
                                 Person.id.in_(merged_into.scalar_subquery())))
    if kind == "name":
        return stmt.where(Person.name_bidx == blind_index("name_year", (q, None)))
    if kind in ("id_number", "phone"):
        column = Person.id_number_bidx if kind == "id_number" else Person.phone_bidx
        return stmt.where(column == blind_index(kind, q))
    return stmt.where(sa.false())


def confirm_search(people, kind, q):
    """Blind indexes collide by design: drop candidates whose decrypted value differs."""
    if kind == "case" or not (q or "").strip():
        return people
    if kind == "name":
        return [p for p in people if matches("name_year", (p.display_name, None), (q, None))]
    return [p for p in people if matches(kind, getattr(p, kind), q)]


def filtered(stmt, args):
    for name, column in (("stage", Person.stage), ("category", Person.category),
                         ("sex", Person.sex)):
        if args.get(name):
            stmt = stmt.where(column == args[name])
    if args.get("site", "").isdigit():
        stmt = stmt.where(Person.site_id == int(args["site"]))
    if args.get("caseworker", "").isdigit():
        stmt = stmt.where(Person.caseworker_id == int(args["caseworker"]))
    if args.get("overdue") == "1":
        stmt = stmt.where(sa.exists().where(FollowUp.person_id == Person.id,
                                            FollowUp.done_at.is_(None),
                                            FollowUp.due_date < today()))
    return stmt


SORT_COLUMNS = {
    "-registered": (Person.registered_at.desc(), Person.case_number),
    "registered": (Person.registered_at, Person.case_number),
    "case": (Person.case_number,),
    "stage": (Person.stage, Person.case_number),
}


def sorted_by(stmt, key):
    return stmt.order_by(*SORT_COLUMNS.get(key, SORT_COLUMNS["-registered"]))


def overdue_follow_ups(user):
    stmt = (sa.select(FollowUp).join(Person, Person.id == FollowUp.person_id)
            .where(FollowUp.done_at.is_(None), FollowUp.due_date < today())
            .options(contains_eager(FollowUp.person), selectinload(FollowUp.assigned_to))
            .order_by(FollowUp.due_date))
    return scoped(stmt, user)

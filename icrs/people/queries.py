"""Read-side queries for people pages: scope, search, filters, sorting."""
import re

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from icrs.core import names
from icrs.core.timeutil import today
from icrs.crypto import blind_index, matches
from icrs.people import matching
from icrs.people.models import FollowUp, Person, PersonNameKey
from icrs.people.services.duplicates import identity_of

CASE_NUMBER = re.compile(r"^[A-Z]{2}-[A-Z]{3}-\d{4}-\d{5}$")
MAX_NAME_TOKENS = 6


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
        merged_into = sa.select(Person.merged_into_id).where(case_number_clause(q))
        return stmt.where(sa.or_(case_number_clause(q),
                                 Person.id.in_(merged_into.scalar_subquery())))
    if kind == "name":
        return stmt.where(*name_clauses(q))
    if kind in ("id_number", "phone"):
        column = Person.id_number_bidx if kind == "id_number" else Person.phone_bidx
        return stmt.where(column == blind_index(kind, q))
    return stmt.where(sa.false())


def case_number_clause(q):
    """The whole case number, or its end ("00071", "2025-00071"): case numbers are no secret."""
    q = q.strip().upper()
    if CASE_NUMBER.match(q):
        return Person.case_number == q
    return Person.case_number.endswith(q, autoescape=True)


def name_clauses(q):
    """Every token of `q` (first name, a part of the last name, an alias; accents and case do
    not matter, nor the transliteration) is one of the person's: through the phonetic keys."""
    found = names.tokens(q)[:MAX_NAME_TOKENS]
    if not found:
        return [sa.false()]
    return [Person.id.in_(sa.select(PersonNameKey.person_id).where(
        PersonNameKey.kind == "phonetic",
        PersonNameKey.value == blind_index("name_phonetic", token))) for token in found]


def name_found(person, q) -> bool:
    """Confirm on the decrypted names: every token of `q` sounds like one of the person's."""
    own = {names.phonetic(t) for t in matching.all_tokens(identity_of(person))}
    return all(names.phonetic(t) in own for t in names.tokens(q)[:MAX_NAME_TOKENS])


def confirm_search(people, kind, q):
    """Blind indexes collide by design: drop candidates whose decrypted value differs."""
    if kind == "case" or not (q or "").strip():
        return people
    if kind == "name":
        return [p for p in people if name_found(p, q)]
    return [p for p in people if matches(kind, getattr(p, kind), q)]


def filtered(stmt, args):
    for name, column in (("stage", Person.stage), ("category", Person.category),
                         ("beneficiary_kind", Person.beneficiary_kind), ("sex", Person.sex)):
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

"""The transfer worklists: incoming requests a supervisor may decide, the user's side's open
and past transfers (the stubs of cases that left), and the contact requests about their cases."""
import sqlalchemy as sa

from icrs.extensions import db
from icrs.people.models import Person
from icrs.transfers import rules
from icrs.transfers.models import CaseTransfer, DuplicateContact
from icrs.transfers.states import TransferStatus

T = CaseTransfer


def incoming(user):
    """Open requests `user` may accept or reject, oldest first."""
    return (sa.select(T).where(T.status == TransferStatus.REQUESTED,
                               rules.decidable_clause(user, T))
            .order_by(T.requested_at, T.id))


def visible(user):
    """Every transfer `user` may see, newest first: both sides, and the old site's stubs."""
    return sa.select(T).where(rules.visible_clause(user, T)).order_by(T.requested_at.desc(),
                                                                      T.id)


def contacts(user):
    """Contact requests about cases `user` may open, newest first."""
    return (sa.select(DuplicateContact).join(Person, Person.id == DuplicateContact.person_id)
            .where(user.scope.clause(Person), Person.erased_at.is_(None))
            .order_by(DuplicateContact.requested_at.desc(), DuplicateContact.id))


def waiting_count(user) -> int:
    """The navigation badge: open requests `user` may decide."""
    if user.role.value != "supervisor":
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        incoming(user).order_by(None).subquery()))

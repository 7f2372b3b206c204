"""The duplicate check at registration, limited to what the registering user may see.

A match outside the user's scope is not shown (no case number, site or stage: the check must not
tell who is in the registry elsewhere); the user is told that a possible duplicate is registered at
another site, and that site's supervisors get a notification (the case, no personal data). Every
check is audited with counts only; the registration POST that runs it is rate-limited per user."""
import base64
import binascii
from dataclasses import dataclass, field

import sqlalchemy as sa

from icrs.audit.services import record
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.crypto import DecryptionError, KeyringError, open_system, seal_system
from icrs.extensions import db
from icrs.people import signals
from icrs.people.services import find_duplicate_candidates


@dataclass
class DuplicateCheck:
    visible: list = field(default_factory=list)  # Candidates the user may open, best first
    elsewhere: int = 0  # candidates outside the user's scope: counted, never shown
    # one sealed token per such candidate: lets the user ask its owner to contact them
    # (icrs.transfers.contact) without learning which case it is
    contact_tokens: list = field(default_factory=list)

    @property
    def found(self):
        return bool(self.visible or self.elsewhere)


def check_duplicates(actor, data, confirmed=(), elsewhere_confirmed=False) -> DuplicateCheck:
    """Run the check, audit it, tell the supervisors of out-of-scope matches; flushes.
    `elsewhere_confirmed`: the user, told of a match at another site, says it is someone else."""
    candidates = [c for c in find_duplicate_candidates({**data, "site_id": actor.site_id})
                  if c.id not in set(confirmed)]
    visible = [c for c in candidates if c.person.can_view(actor)]
    hidden = [c.person for c in candidates if not c.person.can_view(actor)]
    record("people.duplicate_checked", actor=actor, object_type="person",
           shown=len(visible), elsewhere=len(hidden), elsewhere_confirmed=elsewhere_confirmed)
    for person in hidden:
        _notify_supervisors(person)
    if elsewhere_confirmed:
        return DuplicateCheck(visible, 0)
    return DuplicateCheck(visible, len(hidden), [contact_token(actor, p) for p in hidden])


def _token_aad(actor) -> str:
    return f"duplicate-contact.{actor.id}"


def contact_token(actor, person) -> str:
    """A URL-safe token naming `person` to the server, usable by `actor` only."""
    sealed = seal_system(str(person.id).encode(), _token_aad(actor))
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def open_contact_token(actor, token) -> str | None:
    """The person id a token names, or None when it is altered or not `actor`'s."""
    try:
        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return open_system(sealed, _token_aad(actor)).decode()
    except (DecryptionError, KeyringError, binascii.Error, ValueError, UnicodeError):
        return None


def site_supervisors(person):
    """The supervisors of the person's region; the national ones when the region has none."""
    base = sa.select(User).where(User.role == Role.SUPERVISOR, User.active.is_(True))
    regional = db.session.scalars(base.where(User.region_id == person.region_id)).all()
    return regional or db.session.scalars(base.where(User.region_id.is_(None))).all()


def _notify_supervisors(person):
    """The notifications live above people: asked by signal (answered in referrals)."""
    signals.possible_duplicate.send(person, supervisors=site_supervisors(person))

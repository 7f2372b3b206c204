"""Feedback and complaints: who may record, read and answer them, and the changes (flush, never
commit; every change audited with codes only).

Who reads what (the one rule, `may_read`):
- a complaint about abuse, exploitation or fraud by staff (`sensitive`): the complaints focal
  points only (users an administrator designated), never the staff member it is about;
- anything else: the supervisors of the person's area and the assigned caseworker, again never
  the staff member it is about.
"""
import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.feedback.models import (
    SENSITIVE_CATEGORIES,
    Feedback,
    FeedbackCategory,
    FeedbackChannel,
    FeedbackCode,
    FeedbackKind,
    FeedbackStatus,
)

TEXT_MAX = 4000
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read out on the phone
CODE_LENGTH = 8
S = FeedbackStatus
MOVES = frozenset({(S.OPEN, S.IN_PROGRESS), (S.OPEN, S.ANSWERED), (S.IN_PROGRESS, S.ANSWERED),
                   (S.OPEN, S.CLOSED), (S.IN_PROGRESS, S.CLOSED), (S.ANSWERED, S.CLOSED),
                   (S.ANSWERED, S.IN_PROGRESS)})
STAFF = (Role.CASEWORKER, Role.SUPERVISOR)


# --- the rules ------------------------------------------------------------------------------------
def may_record(user, person) -> bool:
    return user.role in STAFF and person.can_view(user) and not person.is_erased


def may_read(user, feedback) -> bool:
    if not user.active or user.id == feedback.concerns_user_id or user.role == Role.PROVIDER:
        return False
    if feedback.sensitive:
        return bool(user.complaints_focal_point)
    person = feedback.person
    return person.can_supervise(user) or person.can_edit(user)


def readable_clause(user):
    """SQL for `may_read` over many rows (the list): the same rule, row by row."""
    from icrs.people.models import Person

    not_about_me = sa.or_(Feedback.concerns_user_id.is_(None), Feedback.concerns_user_id != user.id)
    parts = []
    if user.complaints_focal_point and user.role != Role.PROVIDER:
        parts.append(Feedback.sensitive.is_(True))
    if user.role == Role.SUPERVISOR:
        parts.append(sa.and_(Feedback.sensitive.is_(False), Feedback.person_id.in_(
            sa.select(Person.id).where(user.scope.clause(Person)))))
    elif user.role == Role.CASEWORKER:
        parts.append(sa.and_(Feedback.sensitive.is_(False), Feedback.person_id.in_(
            sa.select(Person.id).where(Person.caseworker_id == user.id,
                                       user.scope.clause(Person)))))
    if not parts:
        return sa.false()
    return sa.and_(not_about_me, sa.or_(*parts))


def check_move(current, target):
    if (current, target) not in MOVES:
        raise DomainError(_l("This change is not possible for feedback in the state "
                             "“%(state)s”.", state=current.label), "status")


# --- recording ------------------------------------------------------------------------------------
def record_feedback(actor, person, kind, category, channel, text, service=None,
                    satisfaction=None, concerns=None):
    if not may_record(actor, person):
        raise AccessDenied(_l("You may not record feedback for this person."))
    return _add(actor, person, kind, category, channel, text, service, satisfaction, concerns)


def record_by_code(actor, code, kind, category, text, satisfaction=None):
    """The hotline: the operator types the person's feedback code and what they say; they learn
    nothing about who it is (the answer is the feedback's reference)."""
    if actor.role not in STAFF:
        raise AccessDenied(_l("You may not record feedback."))
    holder = db.session.scalar(sa.select(FeedbackCode).where(
        FeedbackCode.digest == code_digest(code)))
    if holder is None:
        raise DomainError(_l("No one has this feedback code: check it with the caller."), "code")
    from icrs.people.models import Person
    person = db.session.get(Person, holder.person_id)
    if person is None or person.is_erased:
        raise DomainError(_l("No one has this feedback code: check it with the caller."), "code")
    return _add(actor, person, kind, category, FeedbackChannel.HOTLINE_CODE, text, None,
                satisfaction, None)


def _add(actor, person, kind, category, channel, text, service, satisfaction, concerns):
    kind, category, channel = FeedbackKind(kind), FeedbackCategory(category), \
        FeedbackChannel(channel)
    sensitive = category in SENSITIVE_CATEGORIES
    if sensitive:
        kind = FeedbackKind.COMPLAINT  # abuse by staff is always handled as a complaint
    _check_text(text)
    _check_satisfaction(satisfaction)
    feedback = Feedback(
        reference=_new_reference(), person_id=person.id, region_id=person.region_id,
        site_id=person.site_id, kind=kind, category=category, channel=channel,
        service_id=getattr(service, "id", None), satisfaction=satisfaction,
        concerns_user_id=getattr(concerns, "id", None), sensitive=sensitive, status=S.OPEN,
        received_at=utcnow(), recorded_by_id=actor.id,
        due_on=today() + dt.timedelta(days=response_days(sensitive))
        if kind == FeedbackKind.COMPLAINT else None)
    feedback.text = text.strip()
    db.session.add(feedback)
    db.session.flush()
    details = {"kind": kind.value, "channel": channel.value}
    if not sensitive:  # what a sensitive complaint is about stays with the focal points
        details["category"] = category.value
    record("feedback.recorded", actor=actor, obj=feedback, **details)
    _notify(feedback)
    return feedback


def _check_text(text):
    if not text or not text.strip():
        raise DomainError(_l("Write down what the person said."), "text")
    if len(text) > TEXT_MAX:
        raise DomainError(_l("At most %(n)s characters.", n=TEXT_MAX), "text")


def _check_satisfaction(value):
    if value is not None and (isinstance(value, bool) or value not in range(1, 6)):
        raise DomainError(_l("Choose a satisfaction from 1 to 5."), "satisfaction")


def response_days(sensitive) -> int:
    key = "ICRS_SENSITIVE_COMPLAINT_RESPONSE_DAYS" if sensitive else "ICRS_COMPLAINT_RESPONSE_DAYS"
    return int(current_app.config.get(key) or (7 if sensitive else 14))


def _new_reference():
    while True:
        reference = "F-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if db.session.scalar(sa.select(Feedback.id).where(Feedback.reference == reference)) \
                is None:
            return reference


# --- who is told ----------------------------------------------------------------------------------
def handlers(feedback):
    """The active users who may read and answer it (the notification's recipients)."""
    if feedback.sensitive:
        users = db.session.scalars(sa.select(User).where(
            User.complaints_focal_point.is_(True), User.active.is_(True))).all()
    else:
        users = db.session.scalars(sa.select(User).where(
            User.role == Role.SUPERVISOR, User.active.is_(True))).all()
    return [u for u in users if may_read(u, feedback)]


def _notify(feedback):
    if feedback.kind != FeedbackKind.COMPLAINT:
        return
    from icrs.referrals.notifications import notify

    kind = "complaint_sensitive" if feedback.sensitive else "complaint_received"
    notify(handlers(feedback), kind, email=not feedback.sensitive,
           dedup_key=f"complaint:{feedback.id.hex}")


# --- answering ------------------------------------------------------------------------------------
def change_status(actor, feedback, target, response=None, version=None):
    if not may_read(actor, feedback):
        raise AccessDenied(_l("You may not handle this feedback."))
    target = S(target)
    check_move(feedback.status, target)
    if target == S.ANSWERED:
        if not response or not response.strip():
            raise DomainError(_l("Write down the answer given to the person."), "response")
        _check_length(response, "response")
        feedback.response = response.strip()
        feedback.answered_at, feedback.answered_by_id = utcnow(), actor.id
    elif response and response.strip():
        _check_length(response, "response")
        feedback.response = response.strip()
    feedback.status = target
    record("feedback.status_changed", actor=actor, obj=feedback, status=target.value)
    db.session.flush()
    return feedback


def _check_length(text, field):
    if len(text) > TEXT_MAX:
        raise DomainError(_l("At most %(n)s characters.", n=TEXT_MAX), field)


# --- feedback codes -------------------------------------------------------------------------------
def normalise_code(code) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_digest(code) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def issue_code(actor, person):
    """A new code for the person (an earlier one stops working)."""
    if not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker gives a feedback code."))
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    shown = f"{raw[:4]}-{raw[4:]}"
    holder = db.session.get(FeedbackCode, person.id)
    if holder is None:
        holder = FeedbackCode(person_id=person.id)
        db.session.add(holder)
    holder.digest, holder.created_at = code_digest(raw), utcnow()
    holder.code = shown
    record("feedback.code_issued", actor=actor, obj=person)
    db.session.flush()
    return shown


def code_of(person):
    holder = db.session.get(FeedbackCode, person.id)
    return holder.code if holder is not None else None


# --- satisfaction figures -------------------------------------------------------------------------
def satisfaction_by_service(service_ids=None):
    """{service id: (answers, mean)} for the services with at least the suppression threshold of
    answers; the others are left out (a mean of 1–4 answers could single someone out)."""
    from icrs.dashboard.suppression import THRESHOLD

    query = (sa.select(Feedback.service_id, sa.func.count(), sa.func.avg(Feedback.satisfaction))
             .where(Feedback.service_id.is_not(None), Feedback.satisfaction.is_not(None))
             .group_by(Feedback.service_id).having(sa.func.count() >= THRESHOLD))
    if service_ids is not None:
        query = query.where(Feedback.service_id.in_(list(service_ids)))
    return {sid: (n, round(float(mean), 1)) for sid, n, mean in db.session.execute(query)}


def _area(query, user):
    """The figures' area: the user's region, else the whole country."""
    return query.where(Feedback.region_id == user.region_id) if user.region_id else query


def satisfaction_by_organisation(user):
    """[(organisation name, answers, mean or None)]: the mean only behind at least the
    suppression threshold of answers, and the count itself suppressed below it."""
    from icrs.dashboard.suppression import THRESHOLD, suppress
    from icrs.directory.models import Organisation, Service

    query = _area(sa.select(Organisation.name, sa.func.count(),
                            sa.func.avg(Feedback.satisfaction))
                  .join(Service, Service.id == Feedback.service_id)
                  .join(Organisation, Organisation.id == Service.organisation_id)
                  .where(Feedback.satisfaction.is_not(None))
                  .group_by(Organisation.name).order_by(Organisation.name), user)
    return [(name, suppress(n), round(float(mean), 1) if n >= THRESHOLD else None)
            for name, n, mean in db.session.execute(query)]


def complaints_by_category(user):
    """[(category, complaints)] with small counts suppressed; no total beside them (it would
    give a hidden count away)."""
    from icrs.dashboard.suppression import suppress

    query = _area(sa.select(Feedback.category, sa.func.count())
                  .where(Feedback.kind == FeedbackKind.COMPLAINT)
                  .group_by(Feedback.category), user)
    counts = dict(db.session.execute(query).all())
    return [(category, suppress(counts.get(category, 0))) for category in FeedbackCategory]

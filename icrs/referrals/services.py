"""Referral operations: create, send, withdraw, acknowledge (caseworker); accept, decline,
start, pause, finish (provider). Each checks its guard, moves the status under an optimistic
lock, writes a ReferralEvent and an audit entry, notifies, and flushes — never commits."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.models import flush_or_conflict
from icrs.core.timeutil import today, utcnow
from icrs.directory.models import Service
from icrs.exchange import sms
from icrs.extensions import db
from icrs.people import signals
from icrs.people.best_interest import require_best_interest
from icrs.people.follow_ups import REFERRAL_COMPLETED, schedule_after
from icrs.people.models import ConsentPurpose
from icrs.people.services import counting_consent
from icrs.people.stages import advance_automatically
from icrs.people.states import Stage
from icrs.referrals import sensitive, states
from icrs.referrals.matching import current_profile
from icrs.referrals.models import Referral, ReferralEvent
from icrs.referrals.notifications import notify, organisation_staff
from icrs.referrals.packet import build_packet, clean_share
from icrs.referrals.queries import case_referrals, referral_counts, timeline_events
from icrs.referrals.sharing import covers, per_referral
from icrs.referrals.states import (
    CASEWORKER,
    OPEN,
    PROVIDER,
    IllegalTransition,
    Outcome,
    Priority,
    ReferralStatus,
)
from icrs.referrals.vocabularies import DECLINE_OTHER

S = ReferralStatus
MAX_TEXT = 4000


# --- helpers --------------------------------------------------------------------------------------
def _text(value, field, required=False):
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_l("This field is required."), field)
    if len(value) > MAX_TEXT:
        raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_TEXT), field)
    return value or None


def _check(current, target, role):
    try:
        states.check(current, target, role)
    except IllegalTransition as exc:
        raise ConflictError(exc.message) from exc


def expect_version(referral, version):
    """The form was filled in on an older version: someone else acted first."""
    if version is not None and int(version) != referral.version:
        raise ConflictError(_l("Someone else changed this referral in the meantime. "
                               "Check its new status and try again."))


SAME_TIME = _l("Someone else changed this referral at the same time. Check its new status and "
               "try again.")


def _event(referral, actor, old, new, note=None, kind="status"):
    event = ReferralEvent(referral_id=referral.id, person_id=referral.person_id, kind=kind,
                          from_status=old, to_status=new, actor_id=getattr(actor, "id", None))
    db.session.add(event)
    if note:
        event.note = note
    return event


def _move(actor, referral, target, role, note=None, fields=None):
    """Check, set the status (and the fields that go with it) and flush under the version lock:
    the referral row is always locked first, then the service row (capacity), then the audit
    head, so concurrent actions queue instead of deadlocking."""
    old = referral.status
    _check(old, target, role)
    referral.status = target
    for name, value in (fields or {}).items():
        setattr(referral, name, value)
    flush_or_conflict(SAME_TIME)
    _event(referral, actor, old, target, note)
    return old


def _category_code(service):
    return service.category.code if service.category else None


def sharing_consent(person, service):
    """The consent that counts for this service's category (icrs.people's one rule), or None."""
    return counting_consent(person, ConsentPurpose.SHARING, _category_code(service))


def _require_consent(person, service):
    consent = sharing_consent(person, service)
    if consent is None:
        raise DomainError(_l("The person has not consented to share information with this kind "
                             "of service. Record the consent first."), "service_id")
    require_best_interest(person, _category_code(service))
    return consent


def _check_per_referral(person, service):
    """A referral's own consent is the person's: a child's would need the caregiver's consent
    and the child's assent together, which the referral form does not ask. A child goes through
    a child-protection service, which involves the caregiver (and, as for any other service
    than child protection, the best-interest sign-off comes first)."""
    if person.is_minor:
        raise DomainError(_l("For a child, refer through a child-protection service: it asks "
                             "the caregiver's consent and the child's assent for psychosocial "
                             "and GBV support."), "service_id")
    require_best_interest(person, _category_code(service))


# --- capacity -------------------------------------------------------------------------------------
def take_slot(service_id) -> bool:
    """Use one open slot atomically; True also when the service has no capacity limit."""
    taken = db.session.execute(
        sa.update(Service).where(Service.id == service_id, Service.open_slots > 0)
        .values(open_slots=Service.open_slots - 1)
        .execution_options(synchronize_session=False)).rowcount
    if taken == 1:
        _expire_slots(service_id)
        return True
    return db.session.scalar(sa.select(Service.open_slots).where(Service.id == service_id)) \
        is None


def release_slot(referral):
    """Give the slot back when the referral ends, never above the capacity."""
    if not referral.holds_slot:
        return
    db.session.execute(
        sa.update(Service).where(
            Service.id == referral.service_id, Service.open_slots.is_not(None),
            sa.or_(Service.capacity.is_(None), Service.open_slots < Service.capacity))
        .values(open_slots=Service.open_slots + 1)
        .execution_options(synchronize_session=False))
    _expire_slots(referral.service_id)
    referral.holds_slot = False


def _expire_slots(service_id):
    service = db.session.identity_map.get(db.session.identity_key(Service, service_id))
    if service is not None:
        db.session.expire(service, ["open_slots"])


# --- caseworker -----------------------------------------------------------------------------------
def create_referral(actor, person, service, data: dict) -> Referral:
    """A draft. data: priority, reason, needs, complete_by (date|None), share (field names),
    survivor_code (bool), consent (for GBV/MHPSS: method, witness_name, confirmed, fingerprint
    of the packet shown: icrs.referrals.sensitive)."""
    if not actor.can("referrals.create") or not person.can_edit(actor):
        raise AccessDenied(_l("Only the assigned caseworker can refer this person."))
    if service is None or not service.is_active:
        raise DomainError(_l("Choose an active service."), "service_id")
    if service.category is None or not service.category.active:
        raise DomainError(_l("This kind of service is retired from the list of service "
                             "categories: it takes no new referrals."), "service_id")
    if per_referral(service):  # GBV, MHPSS: asked for this referral, never the category's
        _check_per_referral(person, service)
        consent_form = sensitive.check_consent_form(data.get("consent"))
    else:
        _require_consent(person, service)
    use_code = bool(data.get("survivor_code"))
    if use_code and not sensitive.offers_survivor_code(service):
        raise DomainError(_l("A survivor code replaces the name only in referrals to GBV "
                             "services."), "survivor_code")
    try:
        priority = Priority(data.get("priority") or Priority.NORMAL)
    except ValueError as exc:
        raise DomainError(_l("Choose a priority."), "priority") from exc
    complete_by = data.get("complete_by")
    if complete_by is not None and complete_by < today():
        raise DomainError(_l("The complete-by date cannot be in the past."), "complete_by")
    referral = Referral(person_id=person.id, service_id=service.id,
                        organisation_id=service.organisation_id, created_by_id=actor.id,
                        priority=priority, status=S.DRAFT, complete_by=complete_by,
                        share=clean_share(data.get("share")),
                        survivor_code=sensitive.new_survivor_code() if use_code else None)
    db.session.add(referral)
    referral.reason = _text(data.get("reason"), "reason", required=True)
    referral.needs = _text(data.get("needs"), "needs")
    db.session.flush()
    if per_referral(service):
        sensitive.record_referral_consent(actor, referral, consent_form)
    _event(referral, actor, None, S.DRAFT)
    record("referrals.created", actor=actor, obj=referral, person=str(person.id),
           service=str(service.id), priority=priority.value, share=referral.share,
           survivor_code=use_code)
    db.session.flush()
    return referral


def send_referral(actor, referral, version=None, now=None):
    """Freeze the packet, start the accept-by clock, tell the provider."""
    person, service = referral.person, referral.service
    if not referral.can_manage(actor):
        raise AccessDenied(_l("Only the assigned caseworker can send this referral."))
    expect_version(referral, version)
    if person.is_erased:
        raise DomainError(_l("This person's data was erased."))
    if not service.is_active:
        raise DomainError(_l("This service is no longer active. Choose another one."))
    packet = build_packet(referral, person, current_profile(person))
    if per_referral(service):
        _check_per_referral(person, service)
        consent = sensitive.consent_for_sending(referral, packet)
    else:
        consent = _require_consent(person, service)
    now = now or utcnow()
    referral.packet = packet
    referral.consent_id = consent.id
    referral.sent_at = now
    referral.accept_by = states.accept_by(now, referral.priority)
    referral.complete_by = referral.complete_by or states.default_complete_by(now,
                                                                               referral.priority)
    _move(actor, referral, S.SENT, CASEWORKER)
    record("referrals.sent", actor=actor, obj=referral, person=str(person.id),
           service=str(service.id), priority=referral.priority.value, share=referral.share,
           consent=str(consent.id))
    notify(organisation_staff(referral.organisation_id), "received", referral)
    sms.queue_new_referral(referral)
    _advance(person, "REFERRED")
    db.session.flush()


def refer(actor, person, service, data: dict, send=True) -> Referral:
    """Create, and send at once unless kept as a draft."""
    referral = create_referral(actor, person, service, data)
    if send:
        send_referral(actor, referral)
    return referral


def withdraw_referral(actor, referral, note=None, version=None):
    if not referral.can_manage(actor):
        raise AccessDenied(_l("Only the assigned caseworker can withdraw this referral."))
    expect_version(referral, version)
    was_sent = referral.status != S.DRAFT
    old = _move(actor, referral, S.WITHDRAWN, CASEWORKER, _text(note, "note"))
    referral.finished_at = utcnow()
    release_slot(referral)
    _record_change(actor, referral, old)
    if was_sent:
        notify(organisation_staff(referral.organisation_id), "withdrawn", referral)
    db.session.flush()


def acknowledge_outcome(actor, referral, next_step=None, version=None):
    """Closing the loop: the caseworker has seen the provider's answer and plans what follows."""
    if not referral.can_manage(actor):
        raise AccessDenied(_l("Only the assigned caseworker can acknowledge the outcome."))
    expect_version(referral, version)
    if not referral.needs_acknowledgement:
        raise ConflictError(_l("There is no outcome to acknowledge."))
    referral.acknowledged_at = utcnow()
    referral.acknowledged_by_id = actor.id
    referral.next_step = _text(next_step, "next_step")
    flush_or_conflict(SAME_TIME)
    _event(referral, actor, referral.status, referral.status, referral.next_step,
           kind="acknowledged")
    record("referrals.acknowledged", actor=actor, obj=referral, person=str(referral.person_id),
           status=referral.status.value)
    db.session.flush()


# --- provider -------------------------------------------------------------------------------------
def respond(actor, referral, target, reason=None, outcome=None, note=None, version=None):
    """The provider's moves: accept, decline, in_service, on_hold, completed, not_completed."""
    if not referral.can_respond(actor):
        raise AccessDenied(_l("This referral is not addressed to your organisation."))
    expect_version(referral, version)
    provider_move(actor, referral, target, reason, outcome, note)


def provider_move(actor, referral, target, reason=None, outcome=None, note=None, **audit):
    """A provider's move, once its author is known to answer for the provider: a provider
    account (respond), a one-time link or a partner organisation's system (actor None), or a
    caseworker recording it on the provider's behalf (icrs.exchange). `audit` adds codes to the
    audit entry (the link, the partner token, the channel)."""
    target = S(target)
    note = _text(note, "note")
    data = _provider_data(target, reason, outcome, note)
    old = _move(actor, referral, target, PROVIDER, note, _provider_fields(target, data, note))
    _use_capacity(referral, target)
    _record_change(actor, referral, old, **{k: getattr(v, "value", v) for k, v in data.items()},
                   **audit)
    caseworker = referral.person.caseworker or referral.created_by
    notify([caseworker], target.value, referral)
    if target == S.ACCEPTED:
        _advance(referral.person, "IN_SERVICE")
    if target == S.COMPLETED:  # follow-ups at 1, 3, 6, 12 months (once per referral)
        schedule_after(actor or referral.created_by, referral.person, REFERRAL_COMPLETED,
                       referral.id)
    db.session.flush()


def _provider_data(target, reason, outcome, note):
    if target == S.DECLINED:
        if not lookups.is_valid("decline_reason", reason):
            raise DomainError(_l("Choose the reason for declining."), "reason")
        if reason == DECLINE_OTHER and not note:
            raise DomainError(_l("Say why in the note."), "note")
        return {"decline_reason": reason}
    if target in states.OUTCOMES_FOR:
        try:
            outcome = Outcome(outcome) if outcome else None
        except ValueError:
            outcome = None  # an unknown code: asked again, with the outcomes that fit
        try:
            states.check_outcome(target, outcome)
        except IllegalTransition as exc:
            raise DomainError(exc.message, "outcome") from exc
        return {"outcome": outcome}
    return {}


def _provider_fields(target, data, note):
    now = utcnow()
    fields = dict(data)
    if target in (S.ACCEPTED, S.DECLINED):
        fields["responded_at"] = now
    if target == S.ACCEPTED:
        fields["accepted_at"] = now
    if target == S.DECLINED or target in states.OUTCOMES_FOR:
        fields.update(outcome_note=note, finished_at=now)
    return fields


def _use_capacity(referral, target):
    if target == S.ACCEPTED:
        if not take_slot(referral.service_id):
            raise ConflictError(_l("The service has no open place left. Decline the referral "
                                   "or update the service's capacity first."))
        referral.holds_slot = True
    elif target in states.FINISHED:
        release_slot(referral)


def _record_change(actor, referral, old, **codes):
    record("referrals.status_changed", actor=actor, obj=referral,
           person=str(referral.person_id), from_status=old.value, to_status=referral.status.value,
           **codes)


def _advance(person, stage_name):
    db.session.flush()
    advance_automatically(person, Stage[stage_name])


# --- consent withdrawn ----------------------------------------------------------------------------
def hide_packets(person, consent, actor=None) -> int:
    """Hide the packet of open referrals no longer covered by a sharing consent."""
    if consent.purpose != ConsentPurpose.SHARING:
        return 0
    hidden = 0
    for referral in open_referrals(person):
        code = _category_code(referral.service)
        if referral.packet_hidden_at is not None or (consent.service_category not in (None, code)):
            continue
        if covers(referral):
            continue
        referral.packet_hidden_at = utcnow()
        _event(referral, actor, referral.status, referral.status, kind="consent_withdrawn")
        record("referrals.packet_hidden", actor=actor, obj=referral, person=str(person.id))
        notify(organisation_staff(referral.organisation_id), "consent_withdrawn", referral)
        hidden += 1
    db.session.flush()
    return hidden


def open_referrals(person):
    return db.session.scalars(sa.select(Referral).where(
        Referral.person_id == person.id, Referral.status.in_(OPEN))).all()


@signals.consent_withdrawn.connect
def _on_consent_withdrawn(person, consent=None, actor=None, **_):
    if consent is not None:
        hide_packets(person, consent, actor)


# --- answers to the people domain's questions (icrs.people.signals) -------------------------------
@signals.stage_facts.connect
def _stage_facts(person, **_):
    counts = referral_counts(person)
    return {"referrals_sent": counts["sent"], "referrals_accepted": counts["accepted"],
            "referrals_open": counts["open"]}


@signals.case_panels.connect
def _case_panel(person, user=None, **_):
    return {"referrals": case_referrals(person, user)}


@signals.timeline_events.connect
def _timeline(person, user=None, **_):
    return list(timeline_events(person, user))


@signals.person_erasing.connect
def _on_person_erasing(person, actor=None, **_):
    """Erasure closes the person's referrals: withdrawn, slot released, provider told."""
    for referral in db.session.scalars(sa.select(Referral).where(
            Referral.person_id == person.id, Referral.status.in_(OPEN | {S.DRAFT}))):
        was_sent = referral.status != S.DRAFT
        old = _move(actor, referral, S.WITHDRAWN, CASEWORKER)
        referral.finished_at = utcnow()
        release_slot(referral)
        _record_change(actor, referral, old, erased=True)
        if was_sent:
            notify(organisation_staff(referral.organisation_id), "withdrawn", referral)
    db.session.flush()

from icrs.referrals import merge as _merge  # noqa: E402,F401 - answers the merge signals

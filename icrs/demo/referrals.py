"""Demo referrals for the demo people, in every status (some overdue), consistent with each
person's stage and consent; most go to the two provider logins' organisations. Built directly
(back-dated, deterministic ids and choices) rather than through the services, because most
demo organisations have no login to answer with."""
import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from icrs import lookups
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.timeutil import utcnow
from icrs.core.vocab import PER_REFERRAL_CONSENT_CATEGORIES
from icrs.demo.accounts import PROVIDER_ORGS
from icrs.directory.eligibility import active_clauses, is_eligible
from icrs.directory.models import Service
from icrs.directory.taxonomy import CHILD_PROTECTION
from icrs.extensions import db
from icrs.people.best_interest import allows_other_services
from icrs.people.models import ConsentMethod, ConsentPurpose, Person
from icrs.people.services import consented_categories, counting_consent
from icrs.people.states import Stage
from icrs.referrals.matching import current_profile
from icrs.referrals.models import Referral, ReferralEvent
from icrs.referrals.notifications import Notification
from icrs.referrals.packet import DEFAULT_SHARE, build_packet
from icrs.referrals.sensitive import fingerprint, new_survivor_code, record_referral_consent
from icrs.referrals.states import ACCEPT_WINDOW, Outcome, Priority, ReferralStatus

S = ReferralStatus
NS = uuid.UUID("0b6c1e62-7d8a-4a43-9a0e-5e1d2f3c4b5a")
REASONS_FR = ["Souhaite apprendre un métier pour subvenir aux besoins de sa famille.",
              "Orienté(e) selon le plan de réintégration convenu lors de l'entretien.",
              "Besoin d'un accompagnement pour démarrer une activité génératrice de revenus."]
REASONS_EN = ["Wants to learn a trade to support the family.",
              "Referred according to the reintegration plan agreed in counselling.",
              "Needs support to start an income-generating activity."]
FRENCH_REGIONS = {"EN", "NO", "AD"}


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(Referral)):
        ctx.summary.append("Referrals: demo referrals already present.")
        return
    services = _services()
    providers = _providers()
    people = db.session.scalars(sa.select(Person).where(Person.erased_at.is_(None))
                                .order_by(Person.case_number)).all()
    counts = {}
    for person in people:
        for status in _plan(ctx.rng, person):
            referral = _make(ctx.rng, person, status, services, providers, len(counts))
            if referral is not None:
                counts[referral.id] = status
    db.session.flush()
    _notify(providers, counts)
    db.session.flush()
    by_status = {s: sum(1 for v in counts.values() if v == s) for s in S}
    ctx.summary.append("Referrals: " + ", ".join(f"{n} {s.value}" for s, n in by_status.items()
                                                 if n) + ".")


def _services():
    return db.session.scalars(sa.select(Service).where(*active_clauses()).options(
        selectinload(Service.regions), selectinload(Service.sites),
        selectinload(Service.category), selectinload(Service.organisation),
        selectinload(Service.eligible_categories)).order_by(Service.name, Service.id)).all()


def _providers():
    """organisation id -> a provider login of that organisation (the demo `provider`s)."""
    users = db.session.scalars(sa.select(User).where(User.role == Role.PROVIDER)
                               .order_by(User.id)).all()
    return {u.organisation_id: u for u in reversed(users)}


def _plan(rng, person):
    """Statuses of this person's referrals, consistent with the stage."""
    stage = person.stage
    if stage in (Stage.SUSPENDED, Stage.EXITED):
        return [S.WITHDRAWN] if person.stage_before in (Stage.REFERRED, Stage.IN_SERVICE) else []
    if stage == Stage.PLANNED:
        return [S.DRAFT] if rng.random() < 0.3 else []
    if stage == Stage.REFERRED:
        return ([S.DECLINED] if rng.random() < 0.25 else []) + [S.SENT]
    if stage == Stage.IN_SERVICE:
        return [rng.choice([S.ACCEPTED, S.IN_SERVICE, S.IN_SERVICE, S.ON_HOLD])]
    if stage in (Stage.FOLLOW_UP, Stage.REINTEGRATED):
        return [S.COMPLETED if rng.random() < 0.75 else S.NOT_COMPLETED]
    return []


def _pick_service(rng, person, services):
    """A service the person's consent covers (the one rule); GBV and MHPSS for adults, whose
    consent is asked with the referral itself; a child outside child protection only after a
    signed-off best-interest assessment."""
    consented = consented_categories(person)
    if person.is_minor:
        consented -= PER_REFERRAL_CONSENT_CATEGORIES
        if not allows_other_services(person):
            consented &= {CHILD_PROTECTION}
    else:
        consented |= PER_REFERRAL_CONSENT_CATEGORIES
    fits = [s for s in services if s.category.code in consented and _serves(s, person)
            and is_eligible(s, person.age, person.sex, person.category)[0]]
    if not fits:
        return None
    preferred = [s for s in fits if s.organisation.name in {o[0] for o in PROVIDER_ORGS}]
    pool = preferred if preferred and rng.random() < 0.7 else fits
    return rng.choice(pool)


def _consent(rng, referral, person, service):
    """The category's consent, or for GBV and MHPSS the consent given for this referral (some
    GBV referrals carry a survivor code instead of the name)."""
    code = service.category.code
    if code not in PER_REFERRAL_CONSENT_CATEGORIES:
        return counting_consent(person, ConsentPurpose.SHARING, code)
    if code == "gbv" and rng.random() < 0.5:
        referral.survivor_code = new_survivor_code()
    db.session.flush()
    shown = build_packet(referral, person, current_profile(person))
    return record_referral_consent(person.caseworker, referral, {
        "method": ConsentMethod.SIGNED, "witness_name": None, "fingerprint": fingerprint(shown)})


def _serves(service, person):
    regions = {r.id for r in service.regions}
    sites = {s.id for s in service.sites}
    return (not regions and not sites) or person.region_id in regions or person.site_id in sites


def _make(rng, person, status, services, providers, n):
    service = _pick_service(rng, person, services)
    if service is None or person.caseworker_id is None:
        return None
    priority = rng.choice([Priority.NORMAL] * 6 + [Priority.URGENT] * 3 + [Priority.EMERGENCY])
    french = person.region.code in FRENCH_REGIONS
    referral = Referral(id=uuid.uuid5(NS, f"{person.case_number}:{n}"), person_id=person.id,
                        service_id=service.id, organisation_id=service.organisation_id,
                        created_by_id=person.caseworker_id, priority=priority, status=S.DRAFT,
                        share=DEFAULT_SHARE + (["phone"] if rng.random() < 0.2 else []))
    db.session.add(referral)
    referral.reason = rng.choice(REASONS_FR if french else REASONS_EN)
    consent = _consent(rng, referral, person, service)
    referral.created_at = utcnow() - timedelta(days=rng.randint(1, 5))
    _event(referral, None, S.DRAFT, person.caseworker_id, referral.created_at)
    if status != S.DRAFT:
        _send(rng, referral, person, consent, status)
        _answer(rng, referral, status, service, providers.get(service.organisation_id))
    return referral


def _send(rng, referral, person, consent, status):
    window = ACCEPT_WINDOW[referral.priority]
    if status == S.SENT:
        overdue = rng.random() < 0.4
        ago = window + timedelta(hours=rng.randint(2, 96)) if overdue else \
            timedelta(seconds=int(window.total_seconds() * rng.uniform(0.05, 0.8)))
    elif status in (S.ACCEPTED, S.IN_SERVICE, S.ON_HOLD, S.DECLINED, S.WITHDRAWN):
        ago = timedelta(days=rng.randint(10, 120))
    else:
        ago = timedelta(days=rng.randint(90, 360))
    referral.sent_at = utcnow() - ago
    referral.created_at = referral.sent_at - timedelta(hours=rng.randint(1, 48))
    referral.accept_by = referral.sent_at + window
    referral.complete_by = (referral.sent_at + timedelta(days=rng.choice([60, 90, 120]))).date()
    referral.packet = build_packet(referral, person)
    referral.consent_id = consent.id
    referral.status = S.SENT
    referral.events[0].at = referral.created_at
    _event(referral, S.DRAFT, S.SENT, referral.created_by_id, referral.sent_at)


def _answer(rng, referral, status, service, provider):
    actor = getattr(provider, "id", None)
    if status == S.SENT:
        return
    at = referral.sent_at + timedelta(hours=rng.randint(3, 60))
    if status == S.DECLINED:
        referral.decline_reason = rng.choice(lookups.codes("decline_reason")[:4])
        _finish(referral, S.DECLINED, actor, at, rng.random() < 0.6)
        referral.responded_at = at
        return
    if status == S.WITHDRAWN:
        _step(referral, S.WITHDRAWN, referral.created_by_id, at)
        referral.finished_at = at
        return
    referral.responded_at = referral.accepted_at = at
    _step(referral, S.ACCEPTED, actor, at)
    if status in (S.ACCEPTED, S.IN_SERVICE, S.ON_HOLD):
        _hold_slot(referral, service)
        if rng.random() < 0.3:  # overdue to complete
            referral.complete_by = (utcnow() - timedelta(days=rng.randint(1, 20))).date()
        else:
            referral.complete_by = (utcnow() + timedelta(days=rng.randint(10, 90))).date()
    if status in (S.IN_SERVICE, S.ON_HOLD, S.COMPLETED, S.NOT_COMPLETED):
        at += timedelta(days=rng.randint(1, 10))
        _step(referral, S.IN_SERVICE, actor, at)
    if status == S.ON_HOLD:
        _step(referral, S.ON_HOLD, actor, at + timedelta(days=rng.randint(5, 20)))
    if status in (S.COMPLETED, S.NOT_COMPLETED):
        referral.outcome = (rng.choice([Outcome.SERVED, Outcome.SERVED, Outcome.PARTIALLY_SERVED])
                            if status == S.COMPLETED else
                            rng.choice([Outcome.NO_SHOW, Outcome.UNREACHABLE,
                                        Outcome.REFUSED_BY_CLIENT]))
        _finish(referral, status, actor, at + timedelta(days=rng.randint(20, 80)),
                rng.random() < 0.7)


def _finish(referral, status, actor, at, acknowledged):
    _step(referral, status, actor, at)
    referral.finished_at = at
    if acknowledged:
        referral.acknowledged_at = at + timedelta(days=2)
        referral.acknowledged_by_id = referral.created_by_id
        _event(referral, status, status, referral.created_by_id, referral.acknowledged_at,
               kind="acknowledged")


def _hold_slot(referral, service):
    if service.open_slots is not None and service.open_slots > 0:
        service.open_slots -= 1
        referral.holds_slot = True


def _step(referral, status, actor_id, at):
    _event(referral, referral.status, status, actor_id, at)
    referral.status = status


def _event(referral, old, new, actor_id, at, kind="status"):
    referral.events.append(ReferralEvent(person_id=referral.person_id, kind=kind,
                                         from_status=old, to_status=new, actor_id=actor_id,
                                         at=at))


def _notify(providers, statuses):
    """Unread notices for the provider logins (new referrals) and caseworkers (answers)."""
    for referral_id, status in statuses.items():
        referral = db.session.get(Referral, referral_id)
        if status == S.SENT and referral.organisation_id in providers:
            db.session.add(Notification(user_id=providers[referral.organisation_id].id,
                                        kind="received", referral_id=referral.id,
                                        created_at=referral.sent_at))
        elif referral.needs_acknowledgement:
            db.session.add(Notification(user_id=referral.created_by_id, kind=status.value,
                                        referral_id=referral.id,
                                        created_at=referral.finished_at))

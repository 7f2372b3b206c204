"""Two users acting on the same referral, or on the last slot of a service, at the same moment:
exactly one wins, the other gets a ConflictError, and no slot is used twice. Real threads with
their own sessions; runs on SQLite (which serialises writers) and on PostgreSQL in CI."""
import threading

import sqlalchemy as sa

from icrs.core.errors import ConflictError
from icrs.directory.models import Service
from icrs.referrals import services
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus as S


def _race(app, jobs):
    """Run each job(session-bound) in its own thread and app context; return the outcomes."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        with app.app_context():
            from icrs.extensions import db
            try:
                prepared = job(db)  # load in this thread's session
                barrier.wait(timeout=10)
                prepared()
                db.session.commit()
                results[i] = "ok"
            except ConflictError:
                db.session.rollback()
                results[i] = "conflict"
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                db.session.rollback()
                results[i] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _accept(referral_id, provider_id, version=None):
    def job(db):
        from icrs.auth.models import User
        referral = db.session.get(Referral, referral_id)
        provider = db.session.get(User, provider_id)
        referral.person, referral.service  # noqa: B018 - load before the race
        return lambda: services.respond(provider, referral, S.ACCEPTED, version=version)
    return job


def test_two_providers_take_the_last_slot(app, world, sent, make, db):
    world.service.open_slots = 1
    db.session.commit()
    first, second = sent(), sent()
    colleague = make.user("provider", organisation=world.org)
    db.session.commit()
    results = _race(app, [_accept(first.id, world.provider.id),
                          _accept(second.id, colleague.id)])
    assert sorted(results) == ["conflict", "ok"], results
    db.session.expire_all()
    assert db.session.get(Service, world.service.id).open_slots == 0
    statuses = db.session.scalars(sa.select(Referral.status)).all()
    assert sorted(statuses) == [S.ACCEPTED, S.SENT]


def test_two_providers_answer_the_same_referral(app, world, sent, make, db):
    r = sent()
    colleague = make.user("provider", organisation=world.org)
    db.session.commit()

    def decline(db_):
        from icrs.auth.models import User
        referral = db_.session.get(Referral, r.id)
        user = db_.session.get(User, colleague.id)
        referral.person, referral.service  # noqa: B018
        return lambda: services.respond(user, referral, S.DECLINED, reason="no_capacity")

    results = _race(app, [_accept(r.id, world.provider.id), decline])
    assert sorted(results) == ["conflict", "ok"], results
    db.session.expire_all()
    referral = db.session.get(Referral, r.id)
    slots = db.session.get(Service, world.service.id).open_slots
    assert (referral.status, slots) in ((S.ACCEPTED, 1), (S.DECLINED, 2))
    assert len(referral.events) == 3

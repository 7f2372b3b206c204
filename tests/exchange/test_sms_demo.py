"""Demo SMS outbox: each delivery state, no personal data, idempotent."""
import pytest
import sqlalchemy as sa

from icrs.demo import DemoContext
from icrs.exchange.sms import SmsOutbox
from icrs.people.models import Person

people = pytest.importorskip("icrs.demo.people")


def _load(ctx):
    from icrs.demo import accounts, directory, places, referrals, sms
    for part in (places, accounts, directory, people, referrals, sms):
        part.load(ctx)


def test_demo_sms_outbox(db):
    _load(DemoContext(password="demo-password-1"))
    db.session.commit()
    rows = db.session.scalars(sa.select(SmsOutbox)).all()
    assert {r.kind for r in rows} == {"received", "overdue"}
    assert any(r.sent_at for r in rows) and any(r.last_error for r in rows)
    assert any(r.sent_at is None and not r.attempts for r in rows)
    names = {p.last_name for p in db.session.scalars(sa.select(Person))}
    assert not any(name in r.body for r in rows for name in names)
    _load(DemoContext(password="demo-password-1"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsOutbox)) == len(rows)

"""The vulnerability flags and the follow-up purposes are encrypted at rest under the person's data
key, and die with it (crypto-shredding)."""
import datetime as dt

import sqlalchemy as sa

from icrs.core.timeutil import today
from icrs.crypto import shred
from icrs.people import casework
from icrs.profiling.flags import flag_labels
from icrs.profiling.models import ProfileVersion


def _raw_row(db, table, row_id):
    row = db.session.execute(sa.text(f"SELECT * FROM {table} WHERE id = :id"),  # noqa: S608
                             {"id": row_id.hex if db.engine.dialect.name == "sqlite"
                              else row_id}).mappings().one()
    return {k: (bytes(v) if isinstance(v, (bytes, memoryview)) else v) for k, v in row.items()}


def test_flags_are_ciphertext_and_die_with_the_key(db, caseworker, person, submitted):
    version = submitted(caseworker, person)
    assert "protection_support" in version.vulnerability_flags
    raw = _raw_row(db, "profile_version", version.id)
    assert "vulnerability_flags" not in raw
    blob = repr(raw).encode()
    for code in ("protection_support", "pregnant_or_lactating", "security_threat"):
        assert code.encode() not in blob
    db.session.expire_all()
    assert "protection_support" in db.session.get(ProfileVersion, version.id).vulnerability_flags
    shred(person.id)
    db.session.commit()
    db.session.expire_all()
    assert flag_labels(db.session.get(ProfileVersion, version.id).vulnerability_flags) == []


def test_follow_up_purpose_is_ciphertext(db, caseworker, person):
    follow_up = casework.schedule_follow_up(caseworker, person, today() + dt.timedelta(days=2),
                                            "Check on the threats at Mora market")
    db.session.commit()
    raw = _raw_row(db, "follow_up", follow_up.id)
    assert "purpose" not in raw and b"Mora" not in repr(raw).encode()
    db.session.expire_all()
    assert follow_up.purpose == "Check on the threats at Mora market"

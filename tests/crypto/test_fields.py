"""encrypted_column through the ORM: round trips, integrity, lazy decryption, erasure, storage."""
import datetime
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icrs.crypto import (
    ERASED,
    DataKey,
    DecryptionError,
    ErasedError,
    blind_index,
    datakeys,
    is_erased,
    preload_keys,
    shred,
)
from tests.crypto.testmodels import TNote, TPerson

FIXTURE_OK = settings(max_examples=40, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])


def fresh(db, obj):
    """Reload `obj` from the database in a clean session and key cache."""
    db.session.commit()
    cls, pk = type(obj), obj.id
    db.session.expunge_all()
    datakeys.forget_cached_keys()
    return db.session.get(cls, pk)


def person(db, **values):
    values.setdefault("first_name", "Amina")
    p = TPerson(**values)
    db.session.add(p)
    db.session.flush()
    return p


def test_round_trip_all_types(crypto_db):
    p = person(crypto_db, last_name="Bello", birth_date=datetime.date(1994, 2, 28),
               profile={"skills": ["soudure"], "n": 3})
    p = fresh(crypto_db, p)
    assert (p.first_name, p.last_name) == ("Amina", "Bello")
    assert p.birth_date == datetime.date(1994, 2, 28)
    assert p.profile == {"skills": ["soudure"], "n": 3}


def test_ciphertext_column_holds_no_plaintext(crypto_db):
    p = person(crypto_db, first_name="Amina")
    assert p.first_name_ct[:1] == b"\x01" and b"Amina" not in p.first_name_ct


def test_row_id_assigned_at_first_encryption(crypto_db):
    p = TPerson(first_name="Amina")
    assert isinstance(p.id, uuid.UUID)


def test_explicit_id_after_field_still_decrypts(crypto_db):
    chosen = uuid.uuid4()
    p = TPerson(first_name="Amina", id=chosen)  # kwargs order: field encrypted before id set
    crypto_db.session.add(p)
    assert fresh(crypto_db, p).first_name == "Amina"


def test_note_uses_person_key_and_own_row(crypto_db):
    p = person(crypto_db)
    n = TNote(person_id=p.id, body="visite à domicile")
    crypto_db.session.add(n)
    assert fresh(crypto_db, n).body == "visite à domicile"
    assert crypto_db.session.scalar(sa.select(sa.func.count()).select_from(DataKey)) == 1


def test_note_without_owner_refused(crypto_db):
    with pytest.raises(ValueError, match="person_id"):
        TNote(body="x")


def test_note_moved_to_other_person_is_reencrypted(crypto_db):
    a, b = person(crypto_db), person(crypto_db, first_name="Binta")
    b_id = b.id
    n = TNote(person_id=a.id, body="secret")
    crypto_db.session.add(n)
    n = fresh(crypto_db, n)
    n.person_id = b_id  # merge of duplicates: body never read before the move
    n = fresh(crypto_db, n)
    assert n.body == "secret"


def _swap(db, table, col_a, id_a, col_b, id_b):
    t = sa.table(table, sa.column("id", sa.Uuid), sa.column(col_a), sa.column(col_b))
    value_a = db.session.scalar(sa.select(t.c[col_a]).where(t.c.id == id_a))
    value_b = db.session.scalar(sa.select(t.c[col_b]).where(t.c.id == id_b))
    db.session.execute(sa.update(t).where(t.c.id == id_a).values({col_a: value_b}))
    db.session.execute(sa.update(t).where(t.c.id == id_b).values({col_b: value_a}))
    db.session.commit()


def test_ciphertexts_swapped_between_rows_fail(crypto_db):
    a, b = person(crypto_db, first_name="Amina"), person(crypto_db, first_name="Binta")
    crypto_db.session.commit()
    _swap(crypto_db, "crypto_test_person", "first_name_ct", a.id, "first_name_ct", b.id)
    a = fresh(crypto_db, a)
    with pytest.raises(DecryptionError):
        _ = a.first_name


def test_ciphertexts_swapped_between_rows_of_same_person_fail(crypto_db):
    p = person(crypto_db)
    n1 = TNote(person_id=p.id, body="one")
    n2 = TNote(person_id=p.id, body="two")
    crypto_db.session.add_all([n1, n2])
    crypto_db.session.commit()
    _swap(crypto_db, "crypto_test_note", "body_ct", n1.id, "body_ct", n2.id)
    with pytest.raises(DecryptionError):
        _ = fresh(crypto_db, n1).body


def test_ciphertexts_swapped_between_columns_fail(crypto_db):
    p = person(crypto_db, first_name="Amina", last_name="Bello")
    crypto_db.session.commit()
    _swap(crypto_db, "crypto_test_person", "first_name_ct", p.id, "last_name_ct", p.id)
    p = fresh(crypto_db, p)
    with pytest.raises(DecryptionError):
        _ = p.first_name
    with pytest.raises(DecryptionError):
        _ = p.last_name


def test_flipped_byte_in_database_fails(crypto_db):
    p = person(crypto_db)
    tampered = bytearray(p.first_name_ct)
    tampered[-3] ^= 0x80
    crypto_db.session.execute(sa.update(TPerson).where(TPerson.id == p.id)
                              .values(first_name_ct=bytes(tampered)))
    p = fresh(crypto_db, p)
    with pytest.raises(DecryptionError):
        _ = p.first_name


def test_decrypts_lazily_only_what_is_read(crypto_db, monkeypatch):
    p = fresh(crypto_db, person(crypto_db, last_name="Bello"))
    calls = []
    real = datakeys.envelope.decrypt_field
    monkeypatch.setattr("icrs.crypto.fields.envelope.decrypt_field",
                        lambda *a: calls.append(a[3]) or real(*a))
    assert p.first_name == "Amina" and p.first_name == "Amina"
    assert calls == ["first_name"]  # once, and last_name never


def test_reloaded_ciphertext_invalidates_cache(crypto_db):
    p = person(crypto_db)
    crypto_db.session.commit()
    assert p.first_name == "Amina"
    other = TPerson(id=p.id)  # another writer re-encrypts the same row
    other.first_name = "Aminata"
    crypto_db.session.execute(sa.update(TPerson).where(TPerson.id == p.id)
                              .values(first_name_ct=other.first_name_ct))
    crypto_db.session.commit()  # expires p
    assert p.first_name == "Aminata"


def test_shred_erases_every_field_and_blocks_new_data(crypto_db, app):
    p = person(crypto_db, birth_date=datetime.date(2000, 1, 1))
    n = TNote(person_id=p.id, body="x")
    crypto_db.session.add(n)
    crypto_db.session.commit()
    note_id = n.id
    assert shred(p.id) is True
    crypto_db.session.commit()
    p = fresh(crypto_db, p)
    assert p.first_name is ERASED and p.birth_date is ERASED and not p.first_name
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(p.first_name) == "[erased]" and is_erased(p)
    assert crypto_db.session.get(TNote, note_id).body is ERASED
    with pytest.raises(ErasedError):
        p.first_name = "again"
    assert shred(p.id) is False
    row = crypto_db.session.get(DataKey, p.id)
    assert row.wrapped_dek is None and row.shredded_at is not None


def test_shred_drops_plaintext_already_decrypted(crypto_db):
    p = person(crypto_db)
    assert p.first_name == "Amina"
    shred(p.id)
    assert p.first_name is ERASED


def test_missing_key_row_is_loud_not_erased(crypto_db):
    p = person(crypto_db)
    crypto_db.session.commit()
    crypto_db.session.execute(sa.delete(DataKey).where(DataKey.owner_id == p.id))
    p = fresh(crypto_db, p)
    with pytest.raises(DecryptionError) as info:
        _ = p.first_name
    assert not isinstance(info.value, ErasedError)


def test_rollback_forgets_new_key(crypto_db):
    p = person(crypto_db)
    crypto_db.session.rollback()
    p2 = TPerson(id=p.id, first_name="Amina")  # must not reuse the rolled-back key
    crypto_db.session.add(p2)
    assert fresh(crypto_db, p2).first_name == "Amina"


def test_preload_unwraps_many_keys_in_one_query(crypto_db):
    ids = [person(crypto_db, first_name=f"P{i}").id for i in range(5)]
    crypto_db.session.commit()
    crypto_db.session.expunge_all()
    datakeys.forget_cached_keys()
    preload_keys(ids)
    assert set(ids) <= set(datakeys._cache())


def test_type_checked_on_assignment(crypto_db):
    with pytest.raises(TypeError):
        TPerson(birth_date=datetime.datetime(2000, 1, 1, 12))
    with pytest.raises(TypeError):
        TPerson(first_name=42)


def test_blind_index_lookup_and_confirmation(crypto_db):
    p = person(crypto_db, first_name="Amina")
    p.phone_bidx = blind_index("phone", "+237 6 99 12 34 56")
    crypto_db.session.commit()
    found = crypto_db.session.scalars(
        sa.select(TPerson).where(TPerson.phone_bidx == blind_index("phone", "00237699123456"))
    ).all()
    assert [f.id for f in found] == [p.id]


def test_sqlite_file_contains_no_plaintext(crypto_db, app):
    marker_name = "Zyxwvutsrq-Nomdefamille"
    marker_note = "Note-confidentielle-7f3a9c"
    p = person(crypto_db, first_name=marker_name, profile={"k": marker_note})
    crypto_db.session.add(TNote(person_id=p.id, body=marker_note))
    crypto_db.session.commit()
    url = crypto_db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("raw file check is for SQLite")
    crypto_db.engine.dispose()  # checkpoint and close so everything is on disk
    with open(url.database, "rb") as fh:
        raw = fh.read()
    for marker in (marker_name, marker_note):
        for encoding in ("utf-8", "utf-16-le"):
            assert marker.encode(encoding) not in raw


@FIXTURE_OK
@given(st.text(max_size=3000), st.dates(), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12))
def test_property_round_trip(crypto_db, text, date, data):
    p = TPerson(first_name=text, birth_date=date, profile=data)
    crypto_db.session.add(p)
    p = fresh(crypto_db, p)
    assert (p.first_name, p.birth_date, p.profile) == (text, date, data)


def test_very_long_and_empty_text(crypto_db):
    long_text = "é" * 1_000_000
    p = fresh(crypto_db, person(crypto_db, first_name="", last_name=long_text))
    assert p.first_name == "" and p.last_name == long_text
    assert p.first_name_ct is not None  # empty is encrypted, not NULL
    assert fresh(crypto_db, person(crypto_db, first_name=None)).first_name is None

"""KEK rotation (interrupted and resumed), re-encryption and shredding, through the CLI and the
Python API, on an app whose keys live in files."""
import os

import pytest
import sqlalchemy as sa

from icrs.crypto import DataKey, datakeys, rotation
from icrs.crypto.cli import keys_cli
from icrs.extensions import db
from tests.crypto.testmodels import TEST_MODELS, TNote, TPerson


def populate(n):
    people = []
    for i in range(n):
        p = TPerson(first_name=f"Prénom {i}", last_name=f"Nom {i}")
        db.session.add(p)
        db.session.add(TNote(person_id=p.id, body=f"note {i}"))
        people.append(p.id)
    db.session.commit()
    return people


def all_decrypt(ids):
    db.session.expunge_all()
    datakeys.forget_cached_keys()
    for i, pid in enumerate(ids):
        p = db.session.get(TPerson, pid)
        assert (p.first_name, p.last_name) == (f"Prénom {i}", f"Nom {i}")
        note = db.session.scalars(sa.select(TNote).where(TNote.person_id == pid)).one()
        assert note.body == f"note {i}"


def invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(keys_cli, list(args), input=input)


def counts():
    return dict(db.session.execute(sa.select(DataKey.kek_version, sa.func.count())
                                   .group_by(DataKey.kek_version)).all())


class Crash(Exception):
    pass


def test_rotation_interrupted_then_resumed(crypto_app):
    ids = populate(57)
    state = crypto_app.extensions["icrs_crypto"]
    result = invoke(crypto_app, "rotate", "--batch-size", "10")  # creates v2 and rewraps
    assert result.exit_code == 0, result.output
    assert counts() == {2: 57}
    # Next rotation (to v3) crashes after 3 batches of 10.
    keys_dir = state.keys_dir
    from icrs.crypto import keyring
    keyring.write_key_file(os.path.join(keys_dir, "kek-v3.key"))
    state.reload()
    batches = []

    def crash_after_three(n):
        batches.append(n)
        if len(batches) == 3:
            raise Crash

    with pytest.raises(Crash):
        rotation.rotate_deks(batch_size=10, on_batch=crash_after_three)
    db.session.rollback()
    assert counts() == {3: 30, 2: 27}  # committed batches stay done, nothing half-written
    all_decrypt(ids)  # mixed versions still readable
    result = invoke(crypto_app, "rotate", "--batch-size", "10")  # resumes, no new version
    assert result.exit_code == 0, result.output
    assert "27 data keys to rewrap under KEK v3" in result.output
    assert counts() == {3: 57}
    assert not os.path.exists(os.path.join(keys_dir, "kek-v4.key"))
    all_decrypt(ids)
    status = invoke(crypto_app, "status")
    assert "Current KEK: v3" in status.output
    assert "KEK v3          57 data keys  (current)" in status.output
    assert "KEK v1           0 data keys" in status.output


def test_rotate_creates_new_version_file_0600(crypto_app):
    populate(3)
    assert invoke(crypto_app, "rotate").exit_code == 0
    path = os.path.join(crypto_app.extensions["icrs_crypto"].keys_dir, "kek-v2.key")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def test_rewrap_is_idempotent(crypto_app):
    ids = populate(5)
    state = crypto_app.extensions["icrs_crypto"]
    before = db.session.scalars(sa.select(DataKey.wrapped_dek)).all()
    assert rotation.rotate_deks() == 0  # nothing under an older version
    assert db.session.scalars(sa.select(DataKey.wrapped_dek)).all() == before
    all_decrypt(ids)
    assert state.keyring.current_version == 1


def test_system_secret_survives_rotation(crypto_app):
    from icrs.crypto import open_system, seal_system

    token = seal_system(b"TOTPSECRET", "user_account.totp_secret.1")
    assert invoke(crypto_app, "rotate").exit_code == 0
    assert open_system(token, "user_account.totp_secret.1") == b"TOTPSECRET"
    assert seal_system(b"x", "a")[1:3] == b"\x00\x02"


def test_reencrypt_one_owner(crypto_app):
    ids = populate(3)
    old = db.session.get(DataKey, ids[1]).wrapped_dek
    old_ct = db.session.get(TPerson, ids[1]).first_name_ct
    assert rotation.reencrypt_owner(ids[1], models=TEST_MODELS) == 2  # person + note
    db.session.commit()
    assert db.session.get(DataKey, ids[1]).wrapped_dek != old
    assert db.session.get(TPerson, ids[1]).first_name_ct != old_ct
    all_decrypt(ids)


def test_reencrypt_cli_requires_target(crypto_app):
    assert invoke(crypto_app, "reencrypt").exit_code != 0


def test_shred_cli(crypto_app):
    ids = populate(2)
    result = invoke(crypto_app, "shred", str(ids[0]), "--yes")
    assert result.exit_code == 0, result.output
    db.session.expunge_all()
    datakeys.forget_cached_keys()
    assert not db.session.get(TPerson, ids[0]).first_name
    assert db.session.get(TPerson, ids[1]).first_name == "Prénom 1"
    assert "already shredded" in invoke(crypto_app, "shred", str(ids[0]), "--yes").output
    assert "shredded          1" in invoke(crypto_app, "status").output
    assert invoke(crypto_app, "shred", "not-a-uuid", "--yes").exit_code != 0


def test_running_process_picks_up_new_kek(crypto_app):
    ids = populate(3)
    state = crypto_app.extensions["icrs_crypto"]
    stale = state.keyring  # what a web worker loaded at start (v1 only)
    assert invoke(crypto_app, "rotate").exit_code == 0
    state._keyring = stale
    all_decrypt(ids)  # unwrapping a v2 key reloads the key files once
    assert state.keyring.current_version == 2


def test_reencrypt_refuses_models_without_owner_column(crypto_app):
    from tests.crypto.testmodels import TMethodOwnedNote

    (pid,) = populate(1)
    note = TMethodOwnedNote(person_id=pid, body="kept")
    db.session.add(note)
    db.session.commit()
    note_id = note.id
    before = db.session.get(DataKey, pid).wrapped_dek
    with pytest.raises(TypeError, match="TMethodOwnedNote: declare __crypto_owner__"):
        rotation.reencrypt_owner(pid, models=[TPerson, TMethodOwnedNote])
    db.session.rollback()
    assert db.session.get(DataKey, pid).wrapped_dek == before
    db.session.expunge_all()
    datakeys.forget_cached_keys()
    assert db.session.get(TMethodOwnedNote, note_id).body == "kept"

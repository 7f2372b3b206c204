"""Pure envelope primitives: no app, no database."""
import uuid

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given
from hypothesis import strategies as st

from icrs.crypto import envelope
from icrs.crypto.errors import DecryptionError
from icrs.crypto.keyring import Keyring

RING = Keyring({1: b"\x11" * 32}, b"\x22" * 32, "test")
RING2 = Keyring({1: b"\x11" * 32, 2: b"\x33" * 32}, b"\x22" * 32, "test")
ROW_A, ROW_B = uuid.uuid4(), uuid.uuid4()


def cipher():
    return AESGCM(b"\x44" * 32)


def flip(token: bytes, index: int) -> bytes:
    data = bytearray(token)
    data[index] ^= 0x01
    return bytes(data)


def test_field_round_trip_and_version_prefix():
    token = envelope.encrypt_field(cipher(), b"Amina", "person", "first_name", ROW_A)
    assert token[:1] == envelope.FORMAT_V1
    assert b"Amina" not in token
    assert envelope.decrypt_field(cipher(), token, "person", "first_name", ROW_A) == b"Amina"


def test_same_value_encrypts_differently():
    a = envelope.encrypt_field(cipher(), b"x", "person", "first_name", ROW_A)
    assert a != envelope.encrypt_field(cipher(), b"x", "person", "first_name", ROW_A)


@pytest.mark.parametrize("table, column, row", [
    ("person", "last_name", ROW_A),   # other column
    ("person", "first_name", ROW_B),  # other row
    ("note", "first_name", ROW_A),    # other table
])
def test_ciphertext_bound_to_table_column_row(table, column, row):
    token = envelope.encrypt_field(cipher(), b"Amina", "person", "first_name", ROW_A)
    with pytest.raises(DecryptionError):
        envelope.decrypt_field(cipher(), token, table, column, row)


@pytest.mark.parametrize("index", [0, 1, 12, 13, -1])
def test_flipped_byte_fails(index):
    token = envelope.encrypt_field(cipher(), b"Amina", "person", "first_name", ROW_A)
    with pytest.raises(DecryptionError):
        envelope.decrypt_field(cipher(), flip(token, index), "person", "first_name", ROW_A)


@pytest.mark.parametrize("token", [b"", b"\x01", b"\x02" + b"\x00" * 40, b"\x01" + b"\x00" * 20])
def test_garbage_fails_loudly(token):
    with pytest.raises(DecryptionError):
        envelope.decrypt_field(cipher(), token, "person", "first_name", ROW_A)


def test_wrong_dek_fails():
    token = envelope.encrypt_field(cipher(), b"Amina", "person", "first_name", ROW_A)
    with pytest.raises(DecryptionError):
        envelope.decrypt_field(AESGCM(b"\x45" * 32), token, "person", "first_name", ROW_A)


def test_dek_wrap_round_trip_and_binding_to_owner():
    dek = envelope.new_dek()
    wrapped, version = envelope.wrap_dek(RING, ROW_A, dek)
    assert version == 1 and dek not in wrapped
    assert envelope.unwrap_dek(RING, ROW_A, wrapped, 1) == dek
    with pytest.raises(DecryptionError):
        envelope.unwrap_dek(RING, ROW_B, wrapped, 1)  # another person's key row
    with pytest.raises(DecryptionError):
        envelope.unwrap_dek(RING2, ROW_A, wrapped, 2)  # claims another KEK version


def test_dek_wrapped_under_current_version():
    assert envelope.wrap_dek(RING2, ROW_A, envelope.new_dek())[1] == 2


def test_wrong_kek_fails():
    wrapped, _ = envelope.wrap_dek(RING, ROW_A, envelope.new_dek())
    other = Keyring({1: b"\x12" * 32}, b"\x22" * 32, "test")
    with pytest.raises(DecryptionError):
        envelope.unwrap_dek(other, ROW_A, wrapped, 1)


def test_seal_survives_rotation_and_binds_aad():
    token = envelope.seal(RING, b"JBSWY3DPEHPK3PXP", "user_account.totp_secret.7")
    assert b"JBSWY3DP" not in token
    assert envelope.open_sealed(RING2, token, "user_account.totp_secret.7") == b"JBSWY3DPEHPK3PXP"
    with pytest.raises(DecryptionError):
        envelope.open_sealed(RING2, token, "user_account.totp_secret.8")
    with pytest.raises(DecryptionError):
        envelope.open_sealed(RING2, flip(token, 20), "user_account.totp_secret.7")


def test_seal_uses_current_version():
    token = envelope.seal(RING2, b"s", "a")
    assert token[1:3] == b"\x00\x02"
    with pytest.raises(DecryptionError):
        envelope.open_sealed(RING, token, "a")  # v2 no longer in the keyring


@given(st.binary(max_size=5000), st.text(min_size=1, max_size=30))
def test_any_bytes_round_trip(data, column):
    token = envelope.encrypt_field(cipher(), data, "t", column, ROW_A)
    assert envelope.decrypt_field(cipher(), token, "t", column, ROW_A) == data

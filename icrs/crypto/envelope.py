"""Pure envelope-encryption primitives (no Flask, no database): DEK wrapping under a KEK, field
ciphertexts bound to table/column/row, and sealing of system secrets.

Every token starts with a format byte so the scheme can evolve; the byte is also authenticated.
    wrapped DEK:  0x01 | nonce(12) | AES-GCM(KEK_v, DEK, ad="icrs/dek|v<kek>|<owner uuid>")
    field:        0x01 | nonce(12) | AES-GCM(DEK, value, ad="icrs/field|<table>|<column>|<row id>")
    system seal:  0x01 | kek version (u16) | nonce(12) | AES-GCM(HKDF(KEK_v), value, ad=aad)
"""
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from icrs.crypto.errors import DecryptionError
from icrs.crypto.keyring import KEY_BYTES, Keyring

FORMAT_V1 = b"\x01"
NONCE_BYTES = 12
_SEAL_PURPOSE = b"system-seal"


def new_dek() -> bytes:
    return os.urandom(KEY_BYTES)


def _encrypt(key: AESGCM, plaintext: bytes, ad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_V1 + nonce + key.encrypt(nonce, plaintext, FORMAT_V1 + ad)


def _decrypt(key: AESGCM, token: bytes, ad: bytes, what: str) -> bytes:
    if not token or token[:1] != FORMAT_V1 or len(token) < 1 + NONCE_BYTES + 16:
        raise DecryptionError(f"{what}: unknown format or truncated token")
    try:
        return key.decrypt(token[1:1 + NONCE_BYTES], token[1 + NONCE_BYTES:], FORMAT_V1 + ad)
    except InvalidTag:
        raise DecryptionError(f"{what}: authentication failed (altered, moved or wrong key)") \
            from None


# --- data keys ----------------------------------------------------------------------------------
def _dek_ad(owner_id, kek_version: int) -> bytes:
    return f"icrs/dek|v{kek_version}|{owner_id}".encode()


def wrap_dek(keyring: Keyring, owner_id, dek: bytes,
             version: int | None = None) -> tuple[bytes, int]:
    """Wrap `dek` under KEK `version` (default: current); returns (wrapped, version)."""
    version = version or keyring.current_version
    return _encrypt(AESGCM(keyring.kek(version)), dek, _dek_ad(owner_id, version)), version


def unwrap_dek(keyring: Keyring, owner_id, wrapped: bytes, version: int) -> bytes:
    return _decrypt(AESGCM(keyring.kek(version)), wrapped, _dek_ad(owner_id, version),
                    f"data key of {owner_id} (KEK v{version})")


# --- fields -------------------------------------------------------------------------------------
def field_ad(table: str, column: str, row_id) -> bytes:
    return f"icrs/field|{table}|{column}|{row_id}".encode()


def encrypt_field(cipher: AESGCM, plaintext: bytes, table: str, column: str, row_id) -> bytes:
    return _encrypt(cipher, plaintext, field_ad(table, column, row_id))


def decrypt_field(cipher: AESGCM, token: bytes, table: str, column: str, row_id) -> bytes:
    return _decrypt(cipher, token, field_ad(table, column, row_id), f"{table}.{column}")


# --- system secrets -----------------------------------------------------------------------------
def seal(keyring: Keyring, plaintext: bytes, aad: str) -> bytes:
    """Encrypt a non-personal secret under a key derived from the current KEK. The KEK version
    travels in the token, so older tokens still open after a rotation."""
    version = keyring.current_version
    key = AESGCM(keyring.derived(version, _SEAL_PURPOSE))
    header = struct.pack(">H", version)
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_V1 + header + nonce + key.encrypt(nonce, plaintext,
                                                    FORMAT_V1 + header + aad.encode())


def sealed_version(token: bytes) -> int:
    """The KEK version a sealed token was made under."""
    if not token or token[:1] != FORMAT_V1 or len(token) < 3 + NONCE_BYTES + 16:
        raise DecryptionError("sealed secret: unknown format or truncated token")
    return struct.unpack(">H", token[1:3])[0]


def open_sealed(keyring: Keyring, token: bytes, aad: str) -> bytes:
    version, header = sealed_version(token), token[1:3]
    key = AESGCM(keyring.derived(version, _SEAL_PURPOSE))
    try:
        return key.decrypt(token[3:3 + NONCE_BYTES], token[3 + NONCE_BYTES:],
                           FORMAT_V1 + header + aad.encode())
    except InvalidTag:
        raise DecryptionError(f"sealed secret {aad.split('.')[0]}: authentication failed") \
            from None

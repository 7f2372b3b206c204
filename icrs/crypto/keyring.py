"""The keyring: versioned master keys (KEK) and the blind-index secret, loaded from instance/keys
or from ICRS_MASTER_KEY / ICRS_BLIND_INDEX_KEY. Keys are never stored in the database or logged.

Key files (created by `flask icrs keys init`, mode 0600, directory 0700):
    <instance>/keys/kek-v1.key, kek-v2.key, …   64 hex characters each; highest version is current
    <instance>/keys/blind-index.key             64 hex characters; never rotated (indexes use it)

Environment/config format: ICRS_MASTER_KEY="v1:<64 hex>,v2:<64 hex>" (highest version current),
ICRS_BLIND_INDEX_KEY="<64 hex>".
"""
import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from functools import cached_property

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from icrs.crypto.errors import KeyringError

KEY_BYTES = 32
KEK_FILE = re.compile(r"^kek-v(\d+)\.key$")
BLIND_FILE = "blind-index.key"
BLIND_CHECK_LABEL = b"icrs/key-check/blind-index"
_HEX_KEY = re.compile(r"^[0-9a-fA-F]{64}$")


def hkdf(secret: bytes, info: bytes, length: int = KEY_BYTES) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(secret)


@dataclass
class Keyring:
    """Master keys by version, the blind-index secret, and where they came from (for messages)."""

    keks: dict[int, bytes]
    blind_secret: bytes
    source: str
    _derived: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if not self.keks:
            raise KeyringError(f"No master key (KEK) version found in {self.source}.")

    @property
    def current_version(self) -> int:
        return max(self.keks)

    @property
    def current_kek(self) -> bytes:
        return self.keks[self.current_version]

    def kek(self, version: int) -> bytes:
        from icrs.crypto.errors import DecryptionError
        try:
            return self.keks[version]
        except KeyError:
            raise DecryptionError(f"KEK v{version} is not in the keyring ({self.source})") from None

    def derived(self, version: int, purpose: bytes) -> bytes:
        """A sub-key of KEK `version` for one purpose (e.g. sealing system secrets)."""
        cache_key = (version, purpose)
        if cache_key not in self._derived:
            self._derived[cache_key] = hkdf(self.kek(version), b"icrs/kek-derived/" + purpose)
        return self._derived[cache_key]

    def blind_key(self, index_name: str) -> bytes:
        """Per-index HMAC key; depends only on the blind-index secret, so KEK rotation keeps
        every stored index valid."""
        cache_key = ("blind", index_name)
        if cache_key not in self._derived:
            self._derived[cache_key] = hkdf(self.blind_secret,
                                            b"icrs/blind-index/" + index_name.encode())
        return self._derived[cache_key]

    def blind_check(self) -> str:
        """Check value of the blind-index secret (stored in the database, compared at start):
        an HMAC of a fixed label under a key of its own, so it reveals nothing of the indexes."""
        return hmac.new(self.blind_key("key-check"), BLIND_CHECK_LABEL, hashlib.sha256).hexdigest()

    @cached_property
    def fingerprint(self) -> str:
        """Short non-secret identifier of the current KEK, for status output."""
        return hashlib.sha256(b"icrs/kek-fingerprint" + self.current_kek).hexdigest()[:12]


# --- parsing ------------------------------------------------------------------------------------
def _parse_hex(text: str, what: str, where: str) -> bytes:
    text = text.strip()
    if not _HEX_KEY.match(text):
        raise KeyringError(f"{what} in {where} is malformed: expected 64 hexadecimal characters "
                           f"(a 256-bit key), found {len(text)} characters.")
    return bytes.fromhex(text)


def parse_master_key(value: str, where: str = "ICRS_MASTER_KEY") -> dict[int, bytes]:
    """Parse "v1:<hex>[,v2:<hex>…]" into {version: key}."""
    keks = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        label, sep, hexkey = part.partition(":")
        if not sep or not re.fullmatch(r"v\d+", label):
            raise KeyringError(f"{where} is malformed: expected 'v1:<64 hex>[,v2:<64 hex>]', "
                               f"found an entry without a 'vN:' prefix.")
        version = int(label[1:])
        if version < 1 or version in keks:
            raise KeyringError(f"{where}: KEK version v{version} is invalid or repeated.")
        keks[version] = _parse_hex(hexkey, f"KEK v{version}", where)
    if not keks:
        raise KeyringError(f"{where} is empty: expected 'v1:<64 hex>'.")
    return keks


def from_config(config, testing: bool = False) -> Keyring | None:
    """Keyring from ICRS_MASTER_KEY (config, then environment), or None when not set."""
    value = config.get("ICRS_MASTER_KEY") or os.environ.get("ICRS_MASTER_KEY")
    if not value:
        return None
    keks = parse_master_key(value)
    blind = config.get("ICRS_BLIND_INDEX_KEY") or os.environ.get("ICRS_BLIND_INDEX_KEY")
    if blind:
        secret = _parse_hex(blind, "The blind-index key", "ICRS_BLIND_INDEX_KEY")
    elif testing:
        # Tests only: a stable secret derived from the lowest KEK version.
        secret = hkdf(keks[min(keks)], b"icrs/test-blind-index-secret")
    else:
        raise KeyringError("ICRS_MASTER_KEY is set but ICRS_BLIND_INDEX_KEY is not: the "
                           "blind-index key must be given separately (64 hex characters) because "
                           "it never rotates with the master key.")
    return Keyring(keks, secret, "ICRS_MASTER_KEY/ICRS_BLIND_INDEX_KEY")


# --- key files ----------------------------------------------------------------------------------
def _read_key_file(path: str, what: str) -> bytes:
    st = os.stat(path)
    if os.name == "posix" and st.st_mode & 0o077:
        raise KeyringError(f"{what} file {path} is readable by other users (mode "
                           f"{stat.S_IMODE(st.st_mode):04o}); run: chmod 600 {path}")
    with open(path, encoding="ascii") as fh:
        return _parse_hex(fh.read(), what, path)


def kek_files(keys_dir: str) -> dict[int, str]:
    if not os.path.isdir(keys_dir):
        return {}
    found = {}
    for name in os.listdir(keys_dir):
        match = KEK_FILE.match(name)
        if match:
            found[int(match.group(1))] = os.path.join(keys_dir, name)
    return found


def from_files(keys_dir: str) -> Keyring:
    files = kek_files(keys_dir)
    if not files:
        raise KeyringError(
            f"Master key (KEK) not found: looked for ICRS_MASTER_KEY (config and environment) "
            f"and for kek-v1.key in {keys_dir}. Create keys with: flask icrs keys init")
    blind_path = os.path.join(keys_dir, BLIND_FILE)
    if not os.path.exists(blind_path):
        raise KeyringError(
            f"Blind-index key not found: looked for {blind_path} (and ICRS_BLIND_INDEX_KEY). "
            f"Restore it from your key backup; a new one would break every search index.")
    keks = {v: _read_key_file(p, f"KEK v{v}") for v, p in sorted(files.items())}
    return Keyring(keks, _read_key_file(blind_path, "The blind-index key"), keys_dir)


def load_keyring(config, keys_dir: str, testing: bool = False) -> Keyring:
    """ICRS_MASTER_KEY wins over key files, so tests and containers need no files."""
    return from_config(config, testing) or from_files(keys_dir)


def write_key_file(path: str) -> None:
    """Create one random key file, 0600, refusing to overwrite (O_EXCL)."""
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, (secrets.token_hex(KEY_BYTES) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)

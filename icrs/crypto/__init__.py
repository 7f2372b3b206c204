"""Envelope encryption of personal data, blind indexes, KEK rotation and crypto-shredding
(DESIGN.md §5). `init_app` loads and checks the keyring at start-up and refuses to start without
valid keys, except while `flask icrs keys init` is creating them."""
import hmac
import logging
import os
import sys

import sqlalchemy as sa

from icrs.core.timeutil import utcnow
from icrs.crypto import envelope
from icrs.crypto.blind import blind_index, matches, normalise
from icrs.crypto.datakeys import current_keyring, preload
from icrs.crypto.datakeys import shred as shred
from icrs.crypto.errors import DecryptionError, ErasedError, KeyringError
from icrs.crypto.fields import ERASED, encrypted_column, encrypted_fields, is_erased
from icrs.crypto.keyring import Keyring, load_keyring
from icrs.crypto.models import DataKey, KeyCheck
from icrs.crypto.rotation import reencrypt_owner, rotate_deks

__all__ = [
    "DataKey", "DecryptionError", "ERASED", "ErasedError", "Keyring", "KeyringError",
    "blind_index", "current_keyring", "encrypted_column", "encrypted_fields", "init_app",
    "is_erased", "matches", "normalise", "open_system", "preload_keys", "reencrypt_owner",
    "rotate_deks", "seal_system", "shred",
]

log = logging.getLogger(__name__)
preload_keys = preload


class CryptoState:
    """Per-app crypto state in app.extensions["icrs_crypto"]; the keyring loads on first use."""

    def __init__(self, app):
        self.app = app
        self._keyring = None
        self._audit_key = None

    @property
    def keys_dir(self) -> str:
        return self.app.config.get("ICRS_KEYS_DIR") or os.path.join(self.app.instance_path, "keys")

    @property
    def keyring(self) -> Keyring:
        if self._keyring is None:
            self._keyring = load_keyring(self.app.config, self.keys_dir, self.app.testing)
        return self._keyring

    def reload(self) -> Keyring:
        self._keyring = None
        return self.keyring

    @property
    def audit_key(self) -> bytes:
        """The audit chain's HMAC key (icrs.crypto.auditkey), loaded on first use."""
        if self._audit_key is None:
            from icrs.crypto.auditkey import load_audit_key
            self._audit_key = load_audit_key(self.app.config, self.keys_dir, self.app.testing)
        return self._audit_key

    def keyring_with(self, version: int) -> Keyring:
        """The keyring, reloaded once if it lacks `version`: a running process picks up the new
        KEK file written by `keys rotate` in another process."""
        ring = self.keyring
        if version not in ring.keks:
            ring = self.reload()
        return ring


def init_app(app) -> None:
    """Load the keyring and check it against the database; raise KeyringError (naming the key and
    where it looked) if anything is missing or wrong. Skipped only for `flask icrs keys init`."""
    state = CryptoState(app)
    app.extensions["icrs_crypto"] = state
    if keys_init_requested():
        return
    keyring = state.keyring
    state.audit_key  # noqa: B018 - a missing audit key stops start-up too
    if app.config.get("ICRS_VERIFY_KEYS_AT_START", True):
        verify_against_database(app.config.get("SQLALCHEMY_DATABASE_URI"), keyring,
                                state.keys_dir)


def keys_init_requested(argv=None) -> bool:
    """True when this process runs `flask … icrs keys init`: the only command that may start
    without keys, since it creates them."""
    argv = sys.argv if argv is None else argv
    return any(argv[i:i + 3] == ["icrs", "keys", "init"] for i in range(len(argv)))


def verify_against_database(url, keyring: Keyring, keys_dir: str) -> None:
    """Unwrap one stored DEK per KEK version in use, on a throwaway connection (the app's pool is
    left untouched). A wrong key fails here instead of on the first page view."""
    if not url or not _database_exists(url):
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if sa.inspect(conn).has_table(DataKey.__tablename__):
                _check_versions(conn, keyring, keys_dir)
            if sa.inspect(conn).has_table(KeyCheck.__tablename__):
                check_blind_key(conn, keyring, keys_dir)
    except sa.exc.OperationalError as exc:
        log.warning("keyring not checked against the database (unreachable): %s",
                    type(exc).__name__)
    finally:
        engine.dispose()


def _database_exists(url) -> bool:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return bool(parsed.database) and parsed.database != ":memory:" and \
        os.path.exists(parsed.database)


def _check_versions(conn, keyring: Keyring, keys_dir: str) -> None:
    table = DataKey.__table__
    versions = conn.scalars(sa.select(table.c.kek_version).distinct()
                            .where(table.c.kek_version.is_not(None))).all()
    for version in versions:
        if version not in keyring.keks:
            have = ", ".join(f"v{v}" for v in sorted(keyring.keks))
            raise KeyringError(
                f"The database holds data keys wrapped under master key KEK v{version}, but the "
                f"keyring ({keyring.source}) only has {have}. Restore kek-v{version}.key into "
                f"{keys_dir} (or add v{version} to ICRS_MASTER_KEY).")
        owner_id, wrapped = conn.execute(
            sa.select(table.c.owner_id, table.c.wrapped_dek)
            .where(table.c.kek_version == version).limit(1)).one()
        try:
            envelope.unwrap_dek(keyring, owner_id, wrapped, version)
        except DecryptionError:
            raise KeyringError(
                f"Master key KEK v{version} from {keyring.source} is wrong: it cannot unwrap the "
                f"data keys stored in the database. Wrong key file, wrong ICRS_MASTER_KEY or "
                f"wrong database?") from None


BLIND_CHECK = "blind_index"


def check_blind_key(conn, keyring: Keyring, keys_dir: str) -> None:
    """Compare the blind-index key with the check value stored in the database (writing it on
    the first start): a wrong key would otherwise make every exact search and duplicate check
    silently find nobody."""
    table = KeyCheck.__table__
    stored = conn.scalar(sa.select(table.c.value).where(table.c.name == BLIND_CHECK))
    expected = keyring.blind_check()
    if stored is None:
        try:
            conn.execute(table.insert().values(name=BLIND_CHECK, value=expected,
                                               created_at=utcnow()))
            conn.commit()
        except sa.exc.IntegrityError:  # another worker wrote it first: compare with theirs
            conn.rollback()
            stored = conn.scalar(sa.select(table.c.value).where(table.c.name == BLIND_CHECK))
    if stored is not None and not hmac.compare_digest(stored, expected):
        where = "ICRS_BLIND_INDEX_KEY" if keyring.source.startswith("ICRS_") else \
            os.path.join(keys_dir, "blind-index.key")
        raise KeyringError(
            f"The blind-index key from {where} is not the one this database was indexed with: "
            f"every exact search and duplicate check would find nobody. Restore the original "
            f"blind-index key from your key backup (never create a new one for an existing "
            f"database), or check DATABASE_URL.")


def seal_system(plaintext: bytes, aad: str) -> bytes:
    """Encrypt a non-personal secret (e.g. a TOTP secret) bound to `aad`, e.g.
    "user_account.totp_secret.<id>". Opens after KEK rotations as long as old KEKs are kept."""
    return envelope.seal(current_keyring(), plaintext, aad)


def open_system(token: bytes, aad: str) -> bytes:
    """Decrypt a `seal_system` token; DecryptionError if altered, moved or the key is wrong."""
    return envelope.open_sealed(current_keyring(envelope.sealed_version(token)), token, aad)

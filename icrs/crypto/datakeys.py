"""Per-owner data keys: lookup, creation, batch preloading and shredding, with unwrapped keys cached
only for the current app context (one request or one CLI command), in a bounded LRU."""
import uuid
from collections import OrderedDict

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app, g

from icrs.core.timeutil import utcnow
from icrs.crypto import envelope
from icrs.crypto.errors import DecryptionError, ErasedError
from icrs.crypto.keyring import Keyring
from icrs.crypto.models import DataKey
from icrs.extensions import db

CACHE_SIZE = 2048
_SHREDDED = object()  # cache marker: the owner's key was shredded


def current_keyring(version: int | None = None) -> Keyring:
    """The app's keyring; with `version`, one that holds that KEK version if the key exists."""
    state = current_app.extensions["icrs_crypto"]
    return state.keyring if version is None else state.keyring_with(version)


def as_uuid(owner_id) -> uuid.UUID:
    return owner_id if isinstance(owner_id, uuid.UUID) else uuid.UUID(str(owner_id))


def _cache() -> OrderedDict:
    if "_icrs_deks" not in g:
        g._icrs_deks = OrderedDict()
    return g._icrs_deks


def _remember(owner_id, value) -> None:
    cache = _cache()
    cache[owner_id] = value
    cache.move_to_end(owner_id)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def forget_cached_keys() -> None:
    """Drop unwrapped keys (after a rollback: a key created in the rolled-back transaction must
    never be used again)."""
    g.pop("_icrs_deks", None)


def _from_row(row: DataKey | None, owner_id):
    if row is None:
        raise DecryptionError(f"no data key for owner {owner_id}: the key row is missing")
    if row.is_shredded:
        return _SHREDDED
    return AESGCM(envelope.unwrap_dek(current_keyring(row.kek_version), owner_id,
                                      row.wrapped_dek, row.kek_version))


def cipher_for(owner_id, *, create: bool = False) -> AESGCM:
    """The AES-GCM cipher of the owner's DEK. Raises ErasedError if shredded; creates (and adds
    to the session) a new DEK when `create` and none exists."""
    owner_id = as_uuid(owner_id)
    cache = _cache()
    cipher = cache.get(owner_id)
    if cipher is None:
        with db.session.no_autoflush:
            row = db.session.get(DataKey, owner_id)
        cipher = _create(owner_id) if row is None and create else _from_row(row, owner_id)
        _remember(owner_id, cipher)
    else:
        cache.move_to_end(owner_id)
    if cipher is _SHREDDED:
        raise ErasedError(f"data key of {owner_id} was shredded")
    return cipher


def create_for_new_owner(owner_id) -> None:
    """Give an owner created in this transaction its DEK without looking for one first (a bulk
    import registers thousands: one SELECT less each)."""
    owner_id = as_uuid(owner_id)
    _remember(owner_id, _create(owner_id))


def _create(owner_id) -> AESGCM:
    dek = envelope.new_dek()
    wrapped, version = envelope.wrap_dek(current_keyring(), owner_id, dek)
    db.session.add(DataKey(owner_id=owner_id, wrapped_dek=wrapped, kek_version=version))
    return AESGCM(dek)


def preload(owner_ids) -> None:
    """Unwrap the keys of many owners with one query (list pages)."""
    cache = _cache()
    wanted = {as_uuid(o) for o in owner_ids if o is not None} - cache.keys()
    if not wanted:
        return
    with db.session.no_autoflush:
        rows = db.session.scalars(sa.select(DataKey).where(DataKey.owner_id.in_(wanted))).all()
    for row in rows:
        _remember(row.owner_id, _from_row(row, row.owner_id))


def replace_dek(owner_id, dek: bytes) -> None:
    """Install a new DEK for an existing owner (re-encryption); caller rewrites the data."""
    owner_id = as_uuid(owner_id)
    row = db.session.get(DataKey, owner_id)
    if row is None or row.is_shredded:
        raise ErasedError(f"data key of {owner_id} is missing or shredded")
    row.wrapped_dek, row.kek_version = envelope.wrap_dek(current_keyring(), owner_id, dek)
    row.rotated_at = utcnow()
    _remember(owner_id, AESGCM(dek))


def shred(owner_id, actor=None) -> bool:
    """Destroy the owner's DEK: every field and attachment encrypted under it becomes unreadable
    for good. Keeps a tombstone row; flushes, never commits. Returns False if already shredded."""
    owner_id = as_uuid(owner_id)
    row = db.session.get(DataKey, owner_id)
    if row is not None and row.is_shredded:
        return False
    if row is None:
        row = DataKey(owner_id=owner_id)
        db.session.add(row)
    row.wrapped_dek = row.kek_version = None
    row.shredded_at = utcnow()
    _remember(owner_id, _SHREDDED)
    _drop_plaintext_caches()
    _audit(owner_id, actor)
    db.session.flush()
    return True


def _drop_plaintext_caches() -> None:
    for obj in list(db.session.identity_map.values()):
        obj.__dict__.pop("_icrs_plain", None)


def _audit(owner_id, actor) -> None:
    from icrs.audit.services import record

    record("crypto.data_key_shredded", actor=actor, object_type="person", object_id=owner_id)

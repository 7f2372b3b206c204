"""KEK rotation (rewrap every DEK under the current KEK, batch by batch) and full re-encryption of
one owner's data under a fresh DEK (when a DEK may be compromised).

Rotation is resumable and idempotent: each batch commits on its own, and a rerun only touches
keys still wrapped under an older version. Field ciphertexts are not touched.
"""
from collections.abc import Callable

import sqlalchemy as sa

from icrs.core.timeutil import utcnow
from icrs.crypto import datakeys, envelope, fields
from icrs.crypto.models import DataKey
from icrs.extensions import db

BATCH_SIZE = 1000


def key_counts() -> dict[int | None, int]:
    """{kek_version: number of DEKs}; version None counts shredded (tombstone) keys."""
    rows = db.session.execute(sa.select(DataKey.kek_version, sa.func.count())
                              .group_by(DataKey.kek_version)).all()
    return {version: count for version, count in rows}


def pending_rewrap(version: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(DataKey)
                             .where(DataKey.kek_version < version)) or 0


def rewrap_batch(keyring, version: int, batch_size: int, after=None) -> list:
    """Rewrap up to `batch_size` DEKs still under an older KEK, in owner order after `after`
    (keyset paging on the primary key: no re-scan of done rows); commits; returns the rows."""
    query = (sa.select(DataKey.owner_id, DataKey.wrapped_dek, DataKey.kek_version)
             .where(DataKey.kek_version < version).order_by(DataKey.owner_id).limit(batch_size))
    if after is not None:
        query = query.where(DataKey.owner_id > after)
    rows = db.session.execute(query).all()
    if not rows:
        return rows
    now = utcnow()
    updates = []
    for owner_id, wrapped, old_version in rows:
        dek = envelope.unwrap_dek(keyring, owner_id, wrapped, old_version)
        new_wrapped, _ = envelope.wrap_dek(keyring, owner_id, dek, version)
        updates.append({"o": owner_id, "old": old_version, "w": new_wrapped})
    table = DataKey.__table__
    # The old-version guard makes a concurrent or repeated rewrap a no-op, never a double wrap.
    db.session.execute(
        table.update()
        .where(table.c.owner_id == sa.bindparam("o"), table.c.kek_version == sa.bindparam("old"))
        .values(wrapped_dek=sa.bindparam("w"), kek_version=version, rotated_at=now),
        updates,
    )
    db.session.commit()
    return rows


def rotate_deks(batch_size: int = BATCH_SIZE,
                on_batch: Callable[[int], None] | None = None) -> int:
    """Rewrap every DEK under the current KEK; `on_batch(n)` is called after each committed
    batch (progress bars; tests use it to inject a crash). Returns the number rewrapped."""
    keyring = datakeys.current_keyring()
    version, total, last = keyring.current_version, 0, None
    while rows := rewrap_batch(keyring, version, batch_size, last):
        total, last = total + len(rows), rows[-1].owner_id
        if on_batch:
            on_batch(len(rows))
    return total


def reencrypt_owner(owner_id, models=None) -> int:
    """Give the owner a fresh DEK and re-encrypt every encrypted column of every row they own.
    `models` defaults to the application's models (those on db.metadata). Flushes only: the
    caller commits, so the new key and the new ciphertexts land together. Returns rows done."""
    owner_id = datakeys.as_uuid(owner_id)
    models = models if models is not None else fields.encrypted_models(db.metadata)
    check_owner_columns(models)
    rows = [(obj, _read_all(obj)) for model in models for obj in _owned_rows(model, owner_id)]
    datakeys.replace_dek(owner_id, envelope.new_dek())
    for obj, values in rows:
        for name, value in values.items():
            setattr(obj, name, value)
    db.session.flush()
    return len(rows)


def check_owner_columns(models) -> None:
    """Refuse before touching anything if a model's owner rows cannot be found: replacing the
    DEK would otherwise orphan their ciphertexts."""
    unknown = [m.__name__ for m in models if fields.owner_column(m) is None]
    if unknown:
        raise TypeError(f"{', '.join(unknown)}: declare __crypto_owner__ = '<owner id column>' "
                        f"so re-encryption can find the rows each person owns")


def _owned_rows(model, owner_id):
    column = getattr(model, fields.owner_column(model))
    return db.session.scalars(sa.select(model).where(column == owner_id)).all()


def _read_all(obj) -> dict:
    return {name: getattr(obj, name) for name in fields.encrypted_fields(type(obj))}


def reencrypt_all(models=None, batch_size: int = 200,
                  on_owner: Callable[[int], None] | None = None) -> int:
    """Re-encrypt every live owner, committing after each owner (a crash loses nothing: each
    owner switches key and data in one transaction)."""
    done, last = 0, None
    while True:
        query = (sa.select(DataKey.owner_id).where(DataKey.wrapped_dek.is_not(None))
                 .order_by(DataKey.owner_id).limit(batch_size))
        if last is not None:
            query = query.where(DataKey.owner_id > last)
        owners = db.session.scalars(query).all()
        if not owners:
            return done
        for owner_id in owners:
            reencrypt_owner(owner_id, models)
            db.session.commit()
            done += 1
            if on_owner:
                on_owner(1)
        last = owners[-1]

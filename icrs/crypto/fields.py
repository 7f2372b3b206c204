"""`encrypted_column`: a model attribute whose value is stored as AES-GCM ciphertext in
`<name>_ct` (LargeBinary), encrypted at assignment under the owner's DEK and decrypted lazily on
first access (then cached on the instance while the ciphertext is unchanged).

    class Person(db.Model):
        id = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
        first_name = encrypted_column(str)

    class Note(db.Model):
        __crypto_owner__ = "person_id"       # column holding the owner's id (default "id")
        id = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
        person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False)
        body = encrypted_column("text")

The row id must be a UUID primary key: it is assigned in Python the first time a field is
encrypted, because the associated data binds each ciphertext to table, column and row id.
"""
import datetime
import json
import uuid
from itertools import chain

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import event
from sqlalchemy.orm import Session, mapped_column

from icrs.crypto import datakeys, envelope
from icrs.crypto.errors import ErasedError

REGISTRY: dict[type, dict[str, "EncryptedField"]] = {}
_PLAIN = "_icrs_plain"  # per-instance cache: name -> (ciphertext, value, owner_id, row_id)


class _Erased:
    """Returned instead of a value whose owner's key was shredded; falsy, renders as "erased"."""

    def __bool__(self):
        return False

    def __str__(self):
        return str(_l("[erased]"))

    def __html__(self):
        return str(escape(str(self)))

    def __repr__(self):
        return "ERASED"


ERASED = _Erased()


# --- codecs -------------------------------------------------------------------------------------
class StrCodec:
    kind = "str"

    def encode(self, value) -> bytes:
        if not isinstance(value, str):
            raise TypeError(f"expected str, got {type(value).__name__}")
        return value.encode("utf-8")

    def decode(self, data: bytes):
        return data.decode("utf-8")


class DateCodec:
    kind = "date"

    def encode(self, value) -> bytes:
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise TypeError(f"expected datetime.date, got {type(value).__name__}")
        return value.isoformat().encode("ascii")

    def decode(self, data: bytes):
        return datetime.date.fromisoformat(data.decode("ascii"))


class JsonCodec:
    kind = "json"

    def encode(self, value) -> bytes:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")

    def decode(self, data: bytes):
        return json.loads(data.decode("utf-8"))


class BytesCodec:
    kind = "bytes"

    def encode(self, value) -> bytes:
        if not isinstance(value, bytes):
            raise TypeError(f"expected bytes, got {type(value).__name__}")
        return value

    def decode(self, data: bytes):
        return data


CODECS = {bytes: BytesCodec, "bytes": BytesCodec, str: StrCodec, "str": StrCodec,
          "text": StrCodec, datetime.date: DateCodec, "date": DateCodec, dict: JsonCodec,
          list: JsonCodec, "json": JsonCodec}


# --- row identity -------------------------------------------------------------------------------
def _pk_attr(cls) -> tuple[str, bool]:
    mapper = sa.inspect(cls)
    (column,) = mapper.primary_key
    return mapper.get_property_by_column(column).key, isinstance(column.type, sa.Uuid)


def row_id_of(obj, assign: bool = False):
    key, is_uuid = _pk_attr(type(obj))
    value = getattr(obj, key)
    if value is None and assign:
        if not is_uuid:
            raise TypeError(f"{type(obj).__name__}: encrypted fields need a UUID primary key")
        value = uuid.uuid4()
        setattr(obj, key, value)
    return value


def bound_id(obj, owner=None):
    """The row identity the associated data binds: the row id, followed by the owner and the
    columns named in `__crypto_bind__` when the model declares it (e.g. an attachment's kind)."""
    row_id = row_id_of(obj)
    names = getattr(type(obj), "__crypto_bind__", ())
    if not names:
        return row_id
    values = [str(owner if owner is not None else owner_of(obj))]
    values += [str(getattr(getattr(obj, n), "value", getattr(obj, n))) for n in names]
    return "|".join([str(row_id), *values])


def owner_of(obj):
    if hasattr(obj, "crypto_owner_id"):
        return obj.crypto_owner_id()
    return getattr(obj, owner_column(type(obj)))


def owner_column(cls) -> str | None:
    """Attribute holding the owner id: `__crypto_owner__`, else "id" — or None when only a
    crypto_owner_id() method says who the owner is (re-encryption then refuses to run)."""
    declared = getattr(cls, "__crypto_owner__", None)
    if declared:
        return declared
    return None if hasattr(cls, "crypto_owner_id") else "id"


# --- the descriptor -----------------------------------------------------------------------------
class EncryptedField:
    def __init__(self, codec, nullable: bool = True, deferred: bool = False):
        self.codec = codec
        self.nullable = nullable
        self.deferred = deferred

    def __set_name__(self, owner, name):
        self.name, self.ct_attr = name, f"{name}_ct"
        setattr(owner, self.ct_attr, mapped_column(self.ct_attr, sa.LargeBinary,
                                                   nullable=self.nullable,
                                                   deferred=self.deferred))
        REGISTRY.setdefault(owner, {})[name] = self

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        token = getattr(obj, self.ct_attr)
        cached = obj.__dict__.get(_PLAIN, {}).get(self.name)
        if cached is not None and cached[0] is token:
            return cached[1]
        if token is None:
            return None
        return self._decrypt(obj, token)

    def _decrypt(self, obj, token):
        owner, row_id = owner_of(obj), bound_id(obj)
        try:
            cipher = datakeys.cipher_for(owner)
        except ErasedError:
            return ERASED
        data = envelope.decrypt_field(cipher, token, obj.__table__.name, self.name, row_id)
        value = self.codec.decode(data)
        obj.__dict__.setdefault(_PLAIN, {})[self.name] = (token, value, owner, row_id)
        return value

    def __set__(self, obj, value):
        if value is None:
            if not self.nullable:
                raise ValueError(f"{type(obj).__name__}.{self.name} may not be None")
            setattr(obj, self.ct_attr, None)
            obj.__dict__.get(_PLAIN, {}).pop(self.name, None)
            return
        if value is ERASED:
            raise ValueError(f"{type(obj).__name__}.{self.name}: cannot store an erased value")
        data = self.codec.encode(value)
        row_id_of(obj, assign=True)
        owner = owner_of(obj)
        if owner is None:
            raise ValueError(f"{type(obj).__name__}.{self.name}: set the owner "
                             f"({owner_column(type(obj)) or 'crypto_owner_id()'}) before "
                             f"encrypted fields")
        cipher = datakeys.cipher_for(owner, create=True)
        row_id = bound_id(obj)
        token = envelope.encrypt_field(cipher, data, obj.__table__.name, self.name, row_id)
        setattr(obj, self.ct_attr, token)
        obj.__dict__.setdefault(_PLAIN, {})[self.name] = (token, value, owner, row_id)


def encrypted_column(type_=str, *, nullable: bool = True,
                     deferred: bool = False) -> EncryptedField:
    """Declare an encrypted attribute: type_ is str/"text", datetime.date/"date", "json" or
    bytes; `deferred` loads the ciphertext only when the attribute is read (large files)."""
    try:
        codec = CODECS[type_]()
    except (KeyError, TypeError):
        raise TypeError(f"encrypted_column: unsupported type {type_!r}") from None
    return EncryptedField(codec, nullable, deferred)


def encrypted_fields(cls) -> dict[str, EncryptedField]:
    fields = {}
    for klass in reversed(cls.__mro__):
        fields.update(REGISTRY.get(klass, {}))
    return fields


def encrypted_models(metadata=None) -> list[type]:
    """Mapped classes with encrypted fields, optionally only those on `metadata`."""
    return [cls for cls in REGISTRY if hasattr(cls, "__table__")
            and (metadata is None or cls.__table__.metadata is metadata)]


def is_erased(obj) -> bool:
    """True when the owner's data key was shredded (views show "erased")."""
    try:
        datakeys.cipher_for(owner_of(obj))
    except ErasedError:
        return True
    return False


# --- session hooks ------------------------------------------------------------------------------
@event.listens_for(Session, "before_flush")
def _rebind_moved_ciphertexts(session, _flush_context, _instances):
    """Re-encrypt values whose row id or owner changed after encryption (e.g. constructor
    kwargs setting `id` after a field, or a note moved to another person when merging)."""
    for obj in chain(session.new, session.dirty):
        fields = encrypted_fields(type(obj))
        if fields:
            _rebind(obj, fields)


def _rebind(obj, fields):
    old_owner = _previous_owner(obj)
    plain = obj.__dict__.get(_PLAIN, {})
    for name, field in fields.items():
        # An expired ciphertext must be loaded when the owner moved, or it would be orphaned.
        token = (getattr(obj, field.ct_attr) if old_owner is not None
                 else obj.__dict__.get(field.ct_attr))
        cached = plain.get(name)
        if cached is not None and cached[0] is token:
            if (owner_of(obj), bound_id(obj)) != cached[2:]:
                field.__set__(obj, cached[1])
        elif token is not None and old_owner is not None:
            value = envelope.decrypt_field(datakeys.cipher_for(old_owner), token,
                                           obj.__table__.name, name,
                                           bound_id(obj, owner=old_owner))
            field.__set__(obj, field.codec.decode(value))


def _previous_owner(obj):
    """The committed owner id if the owner column changed in this unit of work, else None."""
    column = owner_column(type(obj))
    state = sa.inspect(obj)
    if column and state.persistent and column in state.attrs and column != _pk_attr(type(obj))[0]:
        history = state.attrs[column].history
        if history.added and history.deleted and history.deleted[0] is not None:
            return history.deleted[0]
    return None


@event.listens_for(Session, "after_soft_rollback")
def _forget_keys_on_rollback(_session, _previous_transaction):
    from flask import has_app_context

    if has_app_context():
        datakeys.forget_cached_keys()

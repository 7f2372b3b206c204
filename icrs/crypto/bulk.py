"""Encrypting and decrypting columns on a bare connection, for data migrations: Alembic runs
inside the app (so the keyring is there) but on its own connection, which the ORM session and
its key cache must not touch (on SQLite a second connection would wait for the migration's
write lock). Same formats and associated data as the `encrypted_column` descriptor."""
import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from icrs.core.timeutil import utcnow
from icrs.crypto import envelope
from icrs.crypto.datakeys import as_uuid
from icrs.crypto.fields import CODECS
from icrs.crypto.keyring import Keyring

DATA_KEY = sa.table("data_key", sa.column("owner_id", sa.Uuid),
                    sa.column("wrapped_dek", sa.LargeBinary), sa.column("kek_version", sa.Integer),
                    sa.column("created_at", sa.DateTime), sa.column("shredded_at", sa.DateTime))


class ConnectionCiphers:
    """The owners' data ciphers, read (or created) on `conn`; None for a shredded owner."""

    def __init__(self, conn, keyring: Keyring):
        self.conn, self.keyring, self._ciphers = conn, keyring, {}

    def cipher(self, owner_id):
        owner_id = as_uuid(owner_id)
        if owner_id not in self._ciphers:
            self._ciphers[owner_id] = self._load(owner_id)
        return self._ciphers[owner_id]

    def _load(self, owner_id):
        row = self.conn.execute(sa.select(DATA_KEY.c.wrapped_dek, DATA_KEY.c.kek_version)
                                .where(DATA_KEY.c.owner_id == owner_id)).one_or_none()
        if row is None:
            dek = envelope.new_dek()
            wrapped, version = envelope.wrap_dek(self.keyring, owner_id, dek)
            self.conn.execute(DATA_KEY.insert().values(owner_id=owner_id, wrapped_dek=wrapped,
                                                       kek_version=version,
                                                       created_at=utcnow()))
            return AESGCM(dek)
        if row.wrapped_dek is None:
            return None
        return AESGCM(envelope.unwrap_dek(self.keyring, owner_id, row.wrapped_dek,
                                          row.kek_version))

    def encrypt(self, kind, value, owner_id, table, column, row_id):
        """Ciphertext of `value` for `<table>.<column>` of row `row_id`; None when the owner
        is erased (nothing of theirs may be written again) or the value is None."""
        cipher = self.cipher(owner_id)
        if cipher is None or value is None:
            return None
        return envelope.encrypt_field(cipher, CODECS[kind]().encode(value), table, column,
                                      row_id)

    def decrypt(self, kind, token, owner_id, table, column, row_id):
        """The value, or None for no ciphertext or an erased owner."""
        cipher = self.cipher(owner_id) if token is not None else None
        if cipher is None:
            return None
        return CODECS[kind]().decode(envelope.decrypt_field(cipher, token, table, column,
                                                            row_id))

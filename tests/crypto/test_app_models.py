"""Invariants of the application's encrypted models (whatever domains exist)."""
import sqlalchemy as sa

from icrs.crypto import encrypted_fields
from icrs.crypto.fields import encrypted_models, owner_column
from icrs.extensions import db


def test_every_encrypted_model_declares_its_owner_column(app):
    """`keys reencrypt` finds a person's rows by this column; without it the new DEK would
    orphan those rows' ciphertexts."""
    missing = [m.__name__ for m in encrypted_models(db.metadata) if owner_column(m) is None]
    assert not missing, f"add __crypto_owner__ = '<owner id column>' to: {missing}"


def test_every_encrypted_model_has_uuid_row_id(app):
    for model in encrypted_models(db.metadata):
        (pk,) = sa.inspect(model).primary_key
        assert isinstance(pk.type, sa.Uuid), model.__name__
        assert encrypted_fields(model)

"""Test-only models on their own metadata (never on db.metadata, which Alembic compares)."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, mapped_column

from icrs.crypto import encrypted_column


class CryptoTestBase(DeclarativeBase):
    pass


class TPerson(CryptoTestBase):
    __tablename__ = "crypto_test_person"
    id = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    first_name = encrypted_column(str)
    last_name = encrypted_column(str)
    birth_date = encrypted_column(datetime.date)
    profile = encrypted_column("json")
    phone_bidx = mapped_column(sa.Integer, index=True)


class TNote(CryptoTestBase):
    __tablename__ = "crypto_test_note"
    __crypto_owner__ = "person_id"
    id = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("crypto_test_person.id"), nullable=False)
    body = encrypted_column("text")


TEST_MODELS = [TPerson, TNote]


class TMethodOwnedNote(CryptoTestBase):
    """Owner only through crypto_owner_id(): re-encryption cannot find its rows by query."""

    __tablename__ = "crypto_test_method_note"
    id = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    person_id = mapped_column(sa.Uuid, nullable=False)
    body = encrypted_column("text")

    def crypto_owner_id(self):
        return self.person_id

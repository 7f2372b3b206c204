"""HSDS 3.0 child records of organisations and services: locations, phones, contacts, schedules,
languages, cost options, required documents. Each has its own UUID, as HSDS requires."""
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.models import new_uuid
from icrs.extensions import db


def _service_fk():
    return mapped_column(sa.ForeignKey("service.id", ondelete="CASCADE"), nullable=False,
                         index=True)


class Location(db.Model):
    """HSDS `location` (physical) with its single address."""

    __tablename__ = "location"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    organisation_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("organisation.id"),
                                                       nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    description: Mapped[str | None] = mapped_column(sa.Text)
    address_1: Mapped[str | None] = mapped_column(sa.String(200))
    city: Mapped[str | None] = mapped_column(sa.String(100))
    state_province: Mapped[str | None] = mapped_column(sa.String(100))
    postal_code: Mapped[str | None] = mapped_column(sa.String(20))
    country: Mapped[str] = mapped_column(sa.String(2), nullable=False, default="CM")
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    organisation = relationship("Organisation", back_populates="locations")


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    service_id: Mapped[uuid.UUID] = _service_fk()
    location_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("location.id"), nullable=False,
                                                   index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    service = relationship("Service", back_populates="service_at_locations")
    location = relationship("Location")


class Phone(db.Model):
    """HSDS `phone` of a service or of an organisation."""

    __tablename__ = "phone"
    __table_args__ = (sa.CheckConstraint("(service_id IS NULL) != (organisation_id IS NULL)",
                                         name="one_owner"),)
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    service_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("service.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    type: Mapped[str | None] = mapped_column(sa.String(20))  # voice, sms, fax …
    description: Mapped[str | None] = mapped_column(sa.String(200))
    service = relationship("Service", back_populates="phones")
    organisation = relationship("Organisation", back_populates="phones")


class Contact(db.Model):
    """HSDS `contact`: a named focal point (professional contact details, not beneficiary data)."""

    __tablename__ = "contact"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    service_id: Mapped[uuid.UUID] = _service_fk()
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    title: Mapped[str | None] = mapped_column(sa.String(120))
    department: Mapped[str | None] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))


class Schedule(db.Model):
    """HSDS `schedule` as a weekly RRULE subset: days, opening and closing time."""

    __tablename__ = "schedule"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    service_id: Mapped[uuid.UUID] = _service_fk()
    freq: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="WEEKLY")
    byday: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="")  # "MO,TU,WE"
    opens_at: Mapped[str | None] = mapped_column(sa.String(8))  # "08:00"
    closes_at: Mapped[str | None] = mapped_column(sa.String(8))
    description: Mapped[str | None] = mapped_column(sa.Text)


class ServiceLanguage(db.Model):
    __tablename__ = "service_language"
    __table_args__ = (sa.UniqueConstraint("service_id", "code", name="service_code"),)
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    service_id: Mapped[uuid.UUID] = _service_fk()
    code: Mapped[str] = mapped_column(sa.String(8), nullable=False)  # ISO 639
    name: Mapped[str] = mapped_column(sa.String(80), nullable=False, default="")
    note: Mapped[str | None] = mapped_column(sa.String(200))


class CostOption(db.Model):
    __tablename__ = "cost_option"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    service_id: Mapped[uuid.UUID] = _service_fk()
    option: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    amount: Mapped[float | None] = mapped_column(sa.Numeric(12, 2, asdecimal=False))
    currency: Mapped[str | None] = mapped_column(sa.String(3))  # XAF
    amount_description: Mapped[str | None] = mapped_column(sa.String(200))


class RequiredDocument(db.Model):
    __tablename__ = "required_document"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    service_id: Mapped[uuid.UUID] = _service_fk()
    document: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    uri: Mapped[str | None] = mapped_column(sa.String(300))

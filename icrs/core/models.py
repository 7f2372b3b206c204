"""Places where the programme works (regions, sites) and shared model mixins."""
import uuid

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.timeutil import utcnow
from icrs.extensions import db


class TimestampMixin:
    created_at: Mapped[sa.DateTime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[sa.DateTime] = mapped_column(
        sa.DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


def new_uuid():
    return uuid.uuid4()


class BilingualNameMixin:
    name_fr: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(120), nullable=False)

    @property
    def name(self):
        locale = str(get_locale() or "fr")
        return self.name_en if locale.startswith("en") else self.name_fr

    def __str__(self):
        return self.name


class Region(BilingualNameMixin, db.Model):
    """A first-level administrative division (OCHA adm1), e.g. Extrême-Nord, p-code CM004."""

    __tablename__ = "region"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True, nullable=False)
    pcode: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    sites = relationship("Site", back_populates="region", order_by="Site.name_fr")


class Site(BilingualNameMixin, db.Model):
    """A DDR centre or field office where caseworkers register and follow people."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True, nullable=False)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False, index=True)
    region = relationship("Region", back_populates="sites")


def flush_or_conflict(message, integrity=False):
    """Flush; a concurrent change to a versioned row (and, with `integrity`, a concurrent
    insert of the same unique row) becomes a ConflictError carrying `message`."""
    from sqlalchemy.orm.exc import StaleDataError

    from icrs.core.errors import ConflictError

    caught = (StaleDataError, sa.exc.IntegrityError) if integrity else (StaleDataError,)
    try:
        db.session.flush()
    except caught as exc:
        raise ConflictError(message) from exc


def places(region_id=None, site_id=None) -> tuple[list, list]:
    """(regions, sites) ordered by code, within one region or one site when given."""
    regions = sa.select(Region).order_by(Region.code)
    sites = sa.select(Site).order_by(Site.code)
    if region_id is not None:
        regions = regions.where(Region.id == region_id)
        sites = sites.where(Site.region_id == region_id)
    if site_id is not None:
        sites = sites.where(Site.id == site_id)
    return db.session.scalars(regions).all(), db.session.scalars(sites).all()


def place_choices(items, key=str, empty=False) -> list:
    """Choices of a region or site field: (id as the form compares it, name), with an empty
    first choice when `empty`."""
    return ([("", "—")] if empty else []) + [(key(p.id), p.name) for p in items]

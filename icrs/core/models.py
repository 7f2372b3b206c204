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


class PlaceMixin(BilingualNameMixin):
    """A place with a name per language, an optional p-code and an active flag: deactivated
    places stay on old records and in exports but are not offered for new choices."""

    active: Mapped[bool] = mapped_column(sa.Boolean, default=True, nullable=False,
                                         server_default=sa.true())

    @property
    def label(self):
        """The name with its p-code, "Extrême-Nord (CM004)", as lists and selects show it."""
        return f"{self.name} ({self.pcode})" if self.pcode else self.name


class AdminArea(PlaceMixin, db.Model):
    """An OCHA administrative area: adm1 (region), adm2 (department), adm3 (arrondissement),
    identified by its p-code (CM004, CM004001 …), under its parent of the level above."""

    __tablename__ = "admin_area"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 3", name="level_range"),
        sa.CheckConstraint("(level = 1) = (parent_id IS NULL)", name="parent_iff_below"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pcode: Mapped[str] = mapped_column(sa.String(12), unique=True, nullable=False)
    level: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("admin_area.id"), index=True)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    parent = relationship("AdminArea", remote_side=[id])

    @property
    def adm1(self):
        """The level-1 area this one lies in (itself at level 1)."""
        area = self
        while area.parent is not None:
            area = area.parent
        return area


class Region(PlaceMixin, db.Model):
    """A first-level administrative division (OCHA adm1), e.g. Extrême-Nord, p-code CM004: the
    scope of supervisors; its code starts every case number."""

    __tablename__ = "region"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True, nullable=False)
    pcode: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    sites = relationship("Site", back_populates="region", order_by="Site.name_fr")


class Site(PlaceMixin, db.Model):
    """A DDR centre or field office where caseworkers register and follow people, in a region
    and optionally in an adm2/adm3 area of that region."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8), unique=True, nullable=False)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), nullable=False, index=True)
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("admin_area.id"), index=True)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    region = relationship("Region", back_populates="sites")
    area = relationship("AdminArea")

    @property
    def pcode(self):
        """The p-code of the place the site lies in: its area's, else its region's."""
        return self.area.pcode if self.area_id is not None else self.region.pcode

    @property
    def long_label(self):
        """"Méri – Extrême-Nord (CM004)": the site with its region, where sites of several
        regions share one list."""
        pcode = f" ({self.pcode})" if self.pcode else ""
        return f"{self.name} – {self.region.name}{pcode}"

    @property
    def offered(self) -> bool:
        return self.active and self.region.active


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


def places(region_id=None, site_id=None, active=False) -> tuple[list, list]:
    """(regions, sites) ordered by code, within one region or one site when given; with
    `active`, only the places offered for new choices (a site also needs its region active)."""
    regions = sa.select(Region).order_by(Region.code)
    sites = sa.select(Site).order_by(Site.code)
    if region_id is not None:
        regions = regions.where(Region.id == region_id)
        sites = sites.where(Site.region_id == region_id)
    if site_id is not None:
        sites = sites.where(Site.id == site_id)
    if active:
        regions = regions.where(Region.active)
        sites = sites.join(Region, Region.id == Site.region_id).where(Site.active, Region.active)
    return db.session.scalars(regions).all(), db.session.scalars(sites).all()


def offered_places(region_id=None, site_id=None, keep=()) -> tuple[list, list]:
    """The choices of a form that sets a place: the active places, plus the ones in `keep`
    (what the edited record holds now, even if deactivated since, so saving it keeps it)."""
    regions, sites = places(region_id, site_id, active=True)
    kept = [p for p in keep if p is not None]
    regions += [p for p in kept if isinstance(p, Region) and p not in regions]
    sites += [p for p in kept if isinstance(p, Site) and p not in sites]
    return regions, sites


def place_choices(items, key=str, empty=False) -> list:
    """Choices of a region or site field: (id as the form compares it, name with p-code), with
    an empty first choice when `empty`."""
    return ([("", "—")] if empty else []) + [(key(p.id), p.label) for p in items]

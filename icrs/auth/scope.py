"""Who sees which people: the one value every page, query and service asks (`user.scope`).

A caseworker's area is their site, a supervisor's their region (the whole country when
national), an admin's the whole country for places and aggregates, an M&E / donor reader's
their region or the country (aggregates only); only the roles that may view
people (`people.view`) see the people inside their area. A provider has no area at all.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from icrs.auth.roles import Role
from icrs.core.models import places


@dataclass(frozen=True)
class PlaceColumns:
    """Where a clause finds a place when it is not on the person table (a copied column)."""
    region_id: object
    site_id: object


@dataclass(frozen=True)
class Scope:
    region_id: int | None = None  # None with nowhere=False: every region
    site_id: int | None = None
    people: bool = False  # sees the personal records inside the area
    nowhere: bool = False

    @classmethod
    def for_user(cls, user) -> "Scope":
        sees_people = user.can("people.view")
        if user.role == Role.CASEWORKER:
            site = user.site
            return cls(region_id=site.region_id if site else None, site_id=user.site_id,
                       people=sees_people, nowhere=site is None)
        if user.role in (Role.SUPERVISOR, Role.ADMIN, Role.MONITORING):
            region_id = user.site.region_id if user.site is not None else user.region_id
            return cls(region_id=region_id, people=sees_people)
        return cls(nowhere=True)

    @property
    def national(self) -> bool:
        return not self.nowhere and self.region_id is None and self.site_id is None

    # --- places ----------------------------------------------------------------------------------
    def covers_region(self, region_id) -> bool:
        return not self.nowhere and (self.region_id is None or self.region_id == region_id)

    def covers_site(self, site) -> bool:
        if self.nowhere or (self.site_id is not None and site.id != self.site_id):
            return False
        return self.covers_region(site.region_id)

    def places(self) -> tuple[list, list]:
        """(regions, sites) inside the area, ordered by code: the choices of place filters."""
        return ([], []) if self.nowhere else places(self.region_id, self.site_id)

    # --- people ----------------------------------------------------------------------------------
    def covers(self, person) -> bool:
        """May the user see this person's record (before any need-to-know section check)?"""
        if not self.people:
            return False
        if self.site_id is not None:
            return person.site_id == self.site_id
        return self.region_id is None or person.region_id == self.region_id

    def clause(self, on):
        """The same rule as a WHERE clause over columns `on.site_id` and `on.region_id`: the
        person table itself, or a row that carries a copy of its person's place."""
        if not self.people:
            return sa.false()
        if self.site_id is not None:
            return on.site_id == self.site_id
        if self.region_id is not None:
            return on.region_id == self.region_id
        return sa.true()

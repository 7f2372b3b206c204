"""Test factories: each makes a valid object with sensible defaults, flushed, not committed."""
import itertools

import sqlalchemy as sa

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.models import Region, Site
from icrs.directory.models import Organisation
from icrs.extensions import db

_counter = itertools.count(1)


class Factory:
    def __init__(self, password):
        self.password = password

    def region(self, code="EN", name_fr=None, name_en=None, pcode=None):
        existing = db.session.scalar(sa.select(Region).where(Region.code == code))
        if existing:
            return existing
        region = Region(code=code, name_fr=name_fr or f"Région {code}",
                        name_en=name_en or f"Region {code}", pcode=pcode)
        db.session.add(region)
        db.session.flush()
        return region

    def site(self, code="MER", region="EN", name=None):
        existing = db.session.scalar(sa.select(Site).where(Site.code == code))
        if existing:
            return existing
        region_obj = region if isinstance(region, Region) else self.region(region)
        site = Site(code=code, name_fr=name or f"Site {code}", name_en=name or f"Site {code}",
                    region=region_obj)
        db.session.add(site)
        db.session.flush()
        return site

    def organisation(self, name=None, **kw):
        org = Organisation(name=name or f"Organisation {next(_counter)}", **kw)
        db.session.add(org)
        db.session.flush()
        return org

    def user(self, role="caseworker", username=None, site=None, region=None, organisation=None,
             **kw):
        role = Role(role)
        n = next(_counter)
        if role == Role.CASEWORKER and site is None:
            site = self.site()
        if role == Role.PROVIDER and organisation is None:
            organisation = self.organisation()
        if isinstance(site, str):
            site = self.site(site)
        if isinstance(region, str):
            region = self.region(region)
        user = User(username=username or f"{role.value}{n}", full_name=f"Test {role.value} {n}",
                    role=role, site=site, region=region, organisation=organisation, **kw)
        user.set_password(self.password)
        db.session.add(user)
        db.session.flush()
        return user

"""Test factories: each makes a valid object with sensible defaults, flushed, not committed.
People and referrals are made through the real services, as a caseworker would."""
import datetime as dt
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

    def person(self, actor=None, consent_to=("vocational_training",), **identity):
        """A person registered by `actor` (a new caseworker of Méri by default), with consent to
        share for each service category of `consent_to`."""
        from icrs.people import services
        from icrs.people.models import ConsentMethod, ConsentPurpose

        actor = actor or self.user("caseworker")
        n = next(_counter)
        data = {"first_name": f"Fanta{n}", "last_name": "Abdoulaye", "sex": "female",
                "birth_date": dt.date(1994, 5, 20), "birth_year": 1994,
                "category": "adult_woman", "languages": ["fr", "ff"],
                "phone": f"+237 6 55 {n % 100:02d} {n // 100 % 100:02d} 10",
                "id_number": f"FACT-{10000 + n}", "address": "Quartier Pitoaré, Maroua"}
        data.update(identity)
        person = services.register_person(actor, actor.site, data)
        for code in consent_to:  # a child: the caregiver's consent and the child's assent
            services.record_consent_of_all(actor, person, ConsentPurpose.SHARING,
                                           ConsentMethod.SIGNED, service_category=code)
        return person

    def service(self, organisation=None, name=None, category="vocational_training", **kw):
        """An open service for everyone, in every region unless `regions` says otherwise."""
        from icrs.directory.models import Service
        from icrs.directory.taxonomy import category_by_code, ensure_taxonomy

        ensure_taxonomy()
        service = Service(organisation=organisation or self.organisation(),
                          name=name or f"Service {next(_counter)}", description="A service",
                          category=category_by_code(category), serves_female=True,
                          serves_male=True, **kw)
        service.set_categories(["adult_man", "adult_woman", "caafag",
                                "person_with_disability", "dependant"])
        db.session.add(service)
        db.session.flush()
        return service

    def referral(self, person=None, service=None, actor=None, send=True, **data):
        """A referral made by the person's caseworker through the real service (sent unless
        send=False)."""
        from icrs.referrals import services

        person = person or self.person(actor)
        actor = actor or person.caseworker
        fields = {"priority": "normal", "reason": "Wants to learn a trade", "needs": "",
                  "complete_by": None, "share": ["first_name", "age_band"]}
        fields.update(data)
        return services.refer(actor, person, service or self.service(), fields, send=send)


def counselled(actor, person, notes, pathway, goals):
    """A counselling session whose plan the person agreed at once (signed), as the case page
    and the plan's page record them: the session note, then version 1 (or the next one)."""
    from icrs.core.timeutil import today
    from icrs.people import casework
    from icrs.plans import services as plans

    casework.record_counselling(actor, person, notes)
    version = plans.save_draft(actor, person, pathway, [goals], [])
    plans.record_agreement(actor, version, today(), "signed")
    return version

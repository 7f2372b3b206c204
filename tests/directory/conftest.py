"""Directory fixtures: the seeded taxonomy, places, and a small hand-built directory whose
eligibility answers are known."""
from types import SimpleNamespace

import pytest

from icrs.directory.details import (
    Contact,
    CostOption,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    ServiceAtLocation,
    ServiceLanguage,
)
from icrs.directory.models import OrganisationType, Service
from icrs.directory.taxonomy import category_by_code, ensure_taxonomy
from icrs.directory.vocab import ReferralMethod, ServiceStatus

EVERYONE = ["adult_man", "adult_woman", "caafag", "person_with_disability", "dependant"]


@pytest.fixture
def places(make):
    ensure_taxonomy()
    return SimpleNamespace(en=make.region("EN", "Extrême-Nord", "Far North", pcode="CM004"),
                           nw=make.region("NW", "Nord-Ouest", "North-West"),
                           mer=make.site("MER", "EN"), bam=make.site("BAM", "NW"))


@pytest.fixture
def make_service(db, places):
    def _make(org, name, category="vocational_training", min_age=None, max_age=None,
              sexes="fm", categories=EVERYONE, regions=(), sites=(), status="active", **kw):
        service = Service(organisation=org, name=name, description=f"{name} description",
                          category=category_by_code(category), minimum_age=min_age,
                          maximum_age=max_age, serves_female="f" in sexes,
                          serves_male="m" in sexes, regions=list(regions), sites=list(sites),
                          status=ServiceStatus(status), **kw)
        service.set_categories(categories)
        db.session.add(service)
        db.session.flush()
        return service

    return _make


@pytest.fixture
def directory(db, make, places, make_service):
    """Seven services with known eligibility (see test_eligibility)."""
    org = make.organisation("Centre de formation de Méri", type=OrganisationType.TRAINING_CENTRE,
                            regions=[places.en])
    other = make.organisation("Bamenda Support Network", regions=[places.nw])
    closed_org = make.organisation("Closed NGO", active=False)
    s = SimpleNamespace(org=org, other=other, closed_org=closed_org)
    s.adults_en = make_service(org, "Adults EN", min_age=18,
                               categories=["adult_man", "adult_woman"], regions=[places.en],
                               capacity=20, open_slots=5)
    s.women_bam = make_service(other, "Women Bamenda", category="gbv", min_age=15, sexes="f",
                               categories=["adult_woman", "dependant"], sites=[places.bam],
                               capacity=10, open_slots=0)
    s.children = make_service(other, "Children nationwide", category="formal_education",
                              max_age=17, categories=["caafag", "dependant"])
    s.inactive = make_service(org, "Inactive service", status="inactive")
    s.closed = make_service(org, "Temporarily closed", status="temporarily_closed")
    s.org_closed = make_service(closed_org, "Service of a closed organisation")
    s.disability_nw = make_service(other, "Disability NW", category="disability", min_age=16,
                                   max_age=40, sexes="m", categories=["person_with_disability"],
                                   regions=[places.nw])
    return s


@pytest.fixture
def rich_service(db, directory):
    """A service with every HSDS child record filled, for exchange tests."""
    service = directory.adults_en
    location = Location(organisation_id=directory.org.id, name="Centre de Méri",
                        address_1="Route de Mokolo", city="Méri", latitude=10.78, longitude=14.11)
    service.service_at_locations = [ServiceAtLocation(location=location, description="Atelier")]
    service.phones = [Phone(number="+237 650 000 001", type="voice")]
    service.contacts = [Contact(name="Point focal", title="Chef de centre",
                                email="focal@example.org", phone="+237 650 000 002")]
    service.schedules = [Schedule(byday="MO,TU,WE", opens_at="08:00", closes_at="15:30")]
    service.languages = [ServiceLanguage(code="fr", name="French"),
                         ServiceLanguage(code="ff", name="Fulfulde")]
    service.cost_options = [CostOption(option="Kit", amount=15000.0, currency="XAF")]
    service.required_documents = [RequiredDocument(document="Attestation DDR")]
    service.referral_method = ReferralMethod.PHONE
    service.response_time_hours = 72
    service.alert = "Fermé en août"
    service.email = "centre@example.org"
    service.url = "https://example.org/centre"
    directory.org.phones = [Phone(number="+237 222 000 000")]
    directory.org.email = "org@example.org"
    db.session.flush()
    return service

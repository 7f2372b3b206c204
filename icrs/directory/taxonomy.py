"""ICRS taxonomies, seeded with stable codes and UUIDs so that every installation (and every HSDS
file exchanged between them) names the same category the same way."""
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs import lookups
from icrs.directory.models import Taxonomy, TaxonomyTerm
from icrs.directory.vocab import PersonCategory, Sex
from icrs.extensions import db

NAMESPACE = uuid.UUID("6f1b5a3e-2c47-4d0b-9a55-0c1d2e3f4a5b")
TAXONOMY_URI = "https://icrs.example/taxonomies/"

SERVICE_CATEGORY = "icrs_service_category"
PERSON_CATEGORY = "icrs_person_category"
SEX = "icrs_sex"
PROPERTY = "icrs_service_property"

# The default pathway for a child (icrs.people.best_interest): no best-interest sign-off needed.
CHILD_PROTECTION = "child_protection"
# code, French name, English name
SERVICE_CATEGORIES = [
    ("formal_education", "Éducation formelle", "Formal education"),
    ("literacy", "Alphabétisation", "Literacy"),
    ("vocational_training", "Formation professionnelle et apprentissage",
     "Vocational training and apprenticeship"),
    ("employment", "Emploi et placement", "Employment and job placement"),
    ("business_startup", "Création d'entreprise et subventions", "Business start-up and grants"),
    ("agriculture_livestock", "Appui à l'agriculture et à l'élevage",
     "Agriculture and livestock support"),
    ("financial_services", "Services financiers", "Financial services"),
    ("health", "Santé", "Health"),
    ("mhpss", "Santé mentale et soutien psychosocial", "Mental health and psychosocial support"),
    ("gbv", "Services VBG", "Gender-based violence services"),
    ("legal_civil_documentation", "Aide juridique et état civil",
     "Legal aid and civil documentation"),
    ("shelter", "Hébergement", "Shelter"),
    ("disability", "Services pour personnes handicapées", "Disability services"),
    ("family_tracing", "Recherche familiale", "Family tracing"),
    ("community_reconciliation", "Réconciliation communautaire", "Community reconciliation"),
    ("labour_intensive_works", "Travaux à haute intensité de main-d'œuvre (réduction de la "
     "violence communautaire)", "Labour-intensive works (community violence reduction)"),
    (CHILD_PROTECTION, "Protection de l'enfance", "Child protection"),
]
PERSON_CATEGORIES = [
    (PersonCategory.ADULT_MAN.value, "Homme adulte", "Adult man"),
    (PersonCategory.ADULT_WOMAN.value, "Femme adulte", "Adult woman"),
    (PersonCategory.CAAFAG.value, "Enfant associé aux forces ou groupes armés",
     "Child associated with armed forces or groups"),
    (PersonCategory.PERSON_WITH_DISABILITY.value, "Personne handicapée",
     "Person with disability"),
    (PersonCategory.DEPENDANT.value, "Personne à charge", "Dependant"),
]
SEXES = [(Sex.FEMALE.value, "Femme", "Female"), (Sex.MALE.value, "Homme", "Male")]
# Attributes carrying ICRS facts HSDS has no field for; the attribute's `value` holds the datum.
PROPERTIES = [
    ("capacity", "Capacité", "Capacity"),
    ("open_slots", "Places disponibles", "Open slots"),
    ("referral_method", "Mode de référencement", "Referral method"),
    ("response_time_hours", "Délai de réponse attendu (heures)", "Expected response time (hours)"),
    ("region_served", "Région couverte", "Region served"),
    ("organisation_type", "Type d'organisation", "Organisation type"),
    ("organisation_active", "Organisation active", "Organisation active"),
]

TAXONOMIES = [
    (SERVICE_CATEGORY, "ICRS service categories",
     "Categories of reintegration services; consent to share and matching use these codes.",
     SERVICE_CATEGORIES),
    (PERSON_CATEGORY, "ICRS person categories",
     "DDR categories of people a service accepts (eligibility).", PERSON_CATEGORIES),
    (SEX, "ICRS sex", "Sexes a service accepts (eligibility).", SEXES),
    (PROPERTY, "ICRS service properties",
     "Service facts without an HSDS field (capacity, referral route); the value is in "
     "attribute.value.", PROPERTIES),
]


def taxonomy_uuid(code):
    return uuid.uuid5(NAMESPACE, f"taxonomy:{code}")


def term_uuid(taxonomy_code, term_code):
    return uuid.uuid5(NAMESPACE, f"term:{taxonomy_code}:{term_code}")


def ensure_taxonomy():
    """Create the ICRS taxonomies and terms that are missing (idempotent); returns how many
    terms were added. Safe to call from the demo, the importer or a migration-free setup."""
    added = 0
    for code, name, description, terms in TAXONOMIES:
        taxonomy = db.session.get(Taxonomy, taxonomy_uuid(code))
        if taxonomy is None:
            taxonomy = Taxonomy(id=taxonomy_uuid(code), code=code, name=name,
                                description=description, uri=TAXONOMY_URI + code, version="1")
            db.session.add(taxonomy)
        for n, (term_code, fr, en) in enumerate(terms, start=1):
            if db.session.get(TaxonomyTerm, term_uuid(code, term_code)) is None:
                db.session.add(_new_term(taxonomy, term_code, fr, en, n * 10))
                added += 1
    db.session.flush()
    if added:
        lookups.registry.forget(SERVICE_CATEGORY_LIST)
    return added


def _new_term(taxonomy, term_code, fr, en, position):
    return TaxonomyTerm(id=term_uuid(taxonomy.code, term_code), taxonomy=taxonomy, code=term_code,
                        name_fr=fr, name_en=en, description_fr=fr, description_en=en,
                        position=position, active=True)


def term(taxonomy_code, term_code):
    return db.session.get(TaxonomyTerm, term_uuid(taxonomy_code, term_code))


def _category_terms():
    return sa.select(TaxonomyTerm).where(
        TaxonomyTerm.taxonomy_id == taxonomy_uuid(SERVICE_CATEGORY))


def service_categories():
    """Every service-category term (retired ones too) in display order."""
    return db.session.scalars(_category_terms().order_by(TaxonomyTerm.position,
                                                         TaxonomyTerm.code)).all()


def category_by_code(code):
    return db.session.scalar(_category_terms().where(TaxonomyTerm.code == code))


class CategoryStore:
    """Service categories are list entries (icrs.lookups) stored as HSDS taxonomy terms, so the
    admin's list pages and every form read them through the one registry."""

    def rows(self, vocab):
        return service_categories()

    def get(self, vocab, code):
        return category_by_code(code)

    def add(self, vocab, code, label_fr, label_en, position):
        term_ = _new_term(db.session.get(Taxonomy, taxonomy_uuid(SERVICE_CATEGORY)), code,
                          label_fr, label_en, position)
        db.session.add(term_)
        return term_

    def materialise(self, vocab):
        ensure_taxonomy()


SERVICE_CATEGORY_LIST = "service_category"
lookups.register(lookups.Vocabulary(
    SERVICE_CATEGORY_LIST, _l("Service categories"), tuple(SERVICE_CATEGORIES),
    _l("The kinds of service in the directory: consent to share, referrals, matching and the "
       "HSDS exchange use these codes."),
    store=CategoryStore()))


def is_offered_category(category, current=None):
    """A category a service may be given: an active one, or the one it already has."""
    return category is not None and (category.active is not False or category == current)

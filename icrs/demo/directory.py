"""Demo service directory: ~25 organisations and ~60 services in Extrême-Nord (French) and
North-West / South-West (English), deterministic (UUIDv5 ids) and idempotent."""
import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from icrs.demo.accounts import PROVIDER_ORGS
from icrs.demo.places import region, site
from icrs.directory.details import Contact, Phone, Schedule, ServiceLanguage
from icrs.directory.models import Organisation, OrganisationType, Service
from icrs.directory.taxonomy import category_by_code, ensure_taxonomy
from icrs.directory.vocab import ReferralMethod, language_name
from icrs.extensions import db

DEMO_NS = uuid.UUID("0b4d8c3e-5f61-4a2b-8e9d-7c6b5a493827")
G, UN, NGO, CBO = (OrganisationType.GOVERNMENT, OrganisationType.UN, OrganisationType.NGO,
                   OrganisationType.CBO)
TC, HF, PR = OrganisationType.TRAINING_CENTRE, OrganisationType.HEALTH, OrganisationType.PRIVATE

# key, name, type, regions (the two provider organisations come from accounts.PROVIDER_ORGS)
ORGS = [
    ("cfm", PROVIDER_ORGS[0][0], TC, ["EN"]),
    ("bpsn", PROVIDER_ORGS[1][0], NGO, ["NW", "SW"]),
    ("minefop_en", "Délégation régionale du MINEFOP de l'Extrême-Nord", G, ["EN"]),
    ("minader_en", "Délégation régionale du MINADER de l'Extrême-Nord", G, ["EN"]),
    ("minsante_en", "Délégation régionale de la Santé publique de l'Extrême-Nord", G, ["EN"]),
    ("minproff_en", "Délégation régionale du MINPROFF de l'Extrême-Nord", G, ["EN"]),
    ("hrm", "Hôpital régional de Maroua", HF, ["EN"]),
    ("csi_mora", "Centre de santé intégré de Mora", HF, ["EN"]),
    ("aspd", "Association Sahel Paix et Développement", NGO, ["EN"]),
    ("rfpm", "Réseau des femmes pour la paix de Mokolo", CBO, ["EN"]),
    ("cjm", "Clinique juridique du Diamaré", NGO, ["EN"]),
    ("cvec", "Caisse villageoise d'épargne et de crédit de Méri", PR, ["EN"]),
    ("iom", "IOM – International Organization for Migration", UN, ["EN", "NW", "SW"]),
    ("unwomen", "UN Women Cameroon", UN, ["EN", "NW", "SW"]),
    ("undp", "UNDP Cameroon", UN, ["EN", "NW", "SW"]),
    ("unicef", "UNICEF Cameroon", UN, ["EN", "NW", "SW"]),
    ("minefop_nw", "MINEFOP Regional Delegation for the North-West", G, ["NW"]),
    ("minader_sw", "MINADER Regional Delegation for the South-West", G, ["SW"]),
    ("minproff_nw", "MINPROFF Women's Empowerment Centre, Kumbo", G, ["NW"]),
    ("rhb", "Bamenda Regional Hospital", HF, ["NW"]),
    ("rhbuea", "Buea Regional Hospital", HF, ["SW"]),
    ("fako_legal", "Fako Legal Aid Clinic", NGO, ["SW"]),
    ("kvtc", "Kumba Vocational Training Centre", TC, ["SW"]),
    ("mcm", "Mount Cameroon Community Microfinance", PR, ["SW"]),
    ("bcd", "Bamenda Centre for People with Disabilities", NGO, ["NW"]),
    ("nwfc", "North-West Farmers' Cooperative Network", CBO, ["NW"]),
]

# Names that differ by interface language: key -> (French, English)
LOCAL_NAMES = {
    "iom": ("OIM – Organisation internationale pour les migrations",
            "IOM – International Organization for Migration"),
    "unwomen": ("ONU Femmes Cameroun", "UN Women Cameroon"),
    "undp": ("PNUD Cameroun", "UNDP Cameroon"),
    "unicef": ("UNICEF Cameroun", "UNICEF Cameroon"),
}

# Eligibility presets: (min age, max age, sexes, categories)
ADULTS = (18, None, "fm", ["adult_man", "adult_woman", "person_with_disability"])
YOUTH = (15, 35, "fm", ["adult_man", "adult_woman", "caafag", "person_with_disability"])
WOMEN = (15, None, "f", ["adult_woman", "person_with_disability", "dependant"])
CHILDREN = (None, 17, "fm", ["caafag", "dependant"])
ALL = (None, None, "fm", ["adult_man", "adult_woman", "caafag", "person_with_disability",
                          "dependant"])
VERIFIED_BASE = date(2025, 11, 1)
EN_LANGS, ENGLISH_LANGS = ["fr", "ff", "ha"], ["en", "wes"]

# org key, category, name, areas, eligibility, capacity, hours to respond, description
SERVICES = [
    ("cfm", "vocational_training", "Formation en couture et stylisme", ["MER", "MOR"], YOUTH,
     30, 72, "Formation pratique de six mois en couture, avec kit d'installation en fin de "
     "parcours."),
    ("cfm", "vocational_training", "Apprentissage en mécanique moto", ["EN"], YOUTH, 25, 72,
     "Apprentissage de neuf mois en atelier : entretien et réparation de motos."),
    ("cfm", "vocational_training", "Formation en soudure et menuiserie métallique", ["MOK"],
     ADULTS, 20, 72, "Formation qualifiante de six mois, certificat MINEFOP à la clé."),
    ("cfm", "literacy", "Alphabétisation fonctionnelle des apprenants", ["EN"], ALL, 60, 72,
     "Cours du soir de lecture, écriture et calcul en français et en fulfulde."),
    ("bpsn", "mhpss", "Individual trauma counselling", ["NW", "SW"], ALL, 40, 48,
     "Weekly one-to-one counselling sessions by trained psychosocial workers."),
    ("bpsn", "mhpss", "Peer support groups for former associates", ["BAM", "BUE"], ADULTS, 60,
     72, "Facilitated peer groups meeting twice a month in community halls."),
    ("bpsn", "community_reconciliation", "Community dialogue and reconciliation sessions",
     ["NW", "SW"], ALL, None, 168, "Facilitated dialogues between returnees, families and "
     "community leaders, with traditional authorities."),
    ("minefop_en", "vocational_training", "Bourses de formation professionnelle", ["EN"],
     YOUTH, 100, 168, "Prise en charge des frais de formation dans les centres agréés."),
    ("minefop_en", "employment", "Orientation et placement en emploi", ["MER", "MOR", "MOK"],
     ADULTS, None, 168, "Conseil d'orientation, inscription au fichier des demandeurs d'emploi."),
    ("minader_en", "agriculture_livestock", "Appui en intrants agricoles", ["EN"], ADULTS, 150,
     168, "Semences améliorées, engrais et petit outillage pour la campagne agricole."),
    ("minader_en", "agriculture_livestock", "Petit élevage : kits caprins et volaille", ["MOR"],
     ADULTS, 50, 168, "Kit de démarrage (chèvres ou poules) et suivi vétérinaire."),
    ("minsante_en", "health", "Dépistage et vaccination", ["EN"], ALL, None, 24,
     "Bilan de santé, dépistage VIH et tuberculose, mise à jour des vaccins."),
    ("minproff_en", "gbv", "Prise en charge des survivantes de VBG", ["EN"], WOMEN, None, 24,
     "Écoute, orientation médicale et juridique, hébergement d'urgence si nécessaire."),
    ("minproff_en", "business_startup", "Appui aux activités génératrices de revenus des femmes",
     ["EN"], WOMEN, 80, 168, "Formation en gestion et petit capital pour activités féminines."),
    ("hrm", "health", "Consultations de médecine générale", ["EN"], ALL, None, 24,
     "Consultations, soins et référence vers les spécialistes de l'hôpital."),
    ("hrm", "mhpss", "Consultation de psychiatrie", ["EN"], ALL, 20, 72,
     "Évaluation et suivi psychiatrique, traitement des troubles graves."),
    ("hrm", "disability", "Rééducation et appareillage", ["EN"], ALL, 15, 168,
     "Kinésithérapie, prothèses et aides à la mobilité."),
    ("csi_mora", "health", "Soins de santé primaires de Mora", ["MOR"], ALL, None, 24,
     "Consultations curatives, santé maternelle et infantile."),
    ("aspd", "community_reconciliation", "Comités de paix et dialogue communautaire",
     ["MER", "MOR"], ALL, None, 168, "Médiation communautaire et cérémonies d'accueil."),
    ("aspd", "mhpss", "Soutien psychosocial communautaire", ["MOR", "MOK"], ALL, 50, 72,
     "Groupes de parole et visites à domicile par des relais communautaires."),
    ("aspd", "labour_intensive_works", "Travaux HIMO de réhabilitation de pistes", ["MOR"],
     ADULTS, 120, 168, "Emplois temporaires rémunérés sur des chantiers communautaires."),
    ("rfpm", "gbv", "Espace sûr pour femmes et filles", ["MOK"], WOMEN, 40, 24,
     "Accueil, activités de bien-être et orientation des survivantes."),
    ("rfpm", "financial_services", "Associations villageoises d'épargne et de crédit",
     ["MOK"], WOMEN, 60, 168, "Création et accompagnement de groupes d'épargne."),
    ("cjm", "legal_civil_documentation", "Établissement des actes de naissance", ["EN"], ALL,
     None, 168, "Jugements supplétifs et actes de naissance pour adultes et enfants."),
    ("cjm", "legal_civil_documentation", "Aide juridique et accompagnement judiciaire", ["EN"],
     ADULTS, 30, 72, "Conseils juridiques gratuits et assistance devant les tribunaux."),
    ("cvec", "financial_services", "Ouverture de compte et microcrédit", ["MER"], ADULTS, None,
     168, "Compte d'épargne et petits prêts pour activités génératrices de revenus."),
    ("iom", "business_startup", "Subventions de démarrage d'entreprise (Extrême-Nord)", ["EN"],
     ADULTS, 120, 168, "Plan d'affaires accompagné et subvention en nature jusqu'à 300 000 FCFA."),
    ("iom", "business_startup", "Business start-up grants (North-West and South-West)",
     ["NW", "SW"], ADULTS, 100, 168, "Coached business plan and in-kind grant up to "
     "XAF 300,000."),
    ("iom", "shelter", "Hébergement transitoire au centre de Méri", ["MER"], ALL, 40, 24,
     "Hébergement temporaire pendant la phase de réinsertion."),
    ("iom", "family_tracing", "Recherche familiale et réunification", ["EN", "NW", "SW"], ALL,
     None, 72, "Recherche des familles et accompagnement au retour."),
    ("iom", "labour_intensive_works", "Community violence reduction works", ["BAM", "KUM"],
     ADULTS, 150, 168, "Paid community works: drainage, market rehabilitation, tree planting."),
    ("unwomen", "business_startup", "Autonomisation économique des femmes", ["EN"], WOMEN, 70,
     168, "Formation en entrepreneuriat et kits pour activités génératrices de revenus."),
    ("unwomen", "gbv", "GBV case management and safe referral", ["NW", "SW"], WOMEN, None, 24,
     "Case management for survivors, with medical, legal and psychosocial referral."),
    ("undp", "labour_intensive_works", "Travaux à haute intensité de main-d'œuvre",
     ["MER", "MOK"], ADULTS, 200, 168, "Chantiers communautaires rémunérés de 3 mois."),
    ("undp", "employment", "Youth employment and apprenticeship placement", ["NW", "SW"],
     YOUTH, 80, 168, "Placement with local artisans and businesses, with a monthly stipend."),
    ("unicef", "formal_education", "Réinsertion scolaire des enfants", ["EN"], CHILDREN, 100,
     72, "Inscription, fournitures et suivi scolaire des enfants sortis des groupes armés."),
    ("unicef", "child_protection", "Protection de l'enfance : prise en charge des enfants sortis "
     "des groupes armés", ["EN"], CHILDREN, 80, 24, "Gestion de cas, famille d'accueil "
     "transitoire et suivi avec le responsable, selon les Principes de Paris."),
    ("unicef", "child_protection", "Child protection case management for children released "
     "from armed groups", ["NW", "SW"], CHILDREN, 80, 24, "Case management, interim care and "
     "follow-up with the caregiver, following the Paris Principles."),
    ("unicef", "mhpss", "Child-friendly psychosocial support", ["NW", "SW"], CHILDREN, 60, 48,
     "Structured recreational and psychosocial activities for children."),
    ("unicef", "family_tracing", "Interim care and family reunification for children", ["NW",
     "SW"], CHILDREN, 30, 24, "Interim care, family tracing and reunification."),
    ("unicef", "formal_education", "Accelerated learning programme", ["BAM", "BUE"], CHILDREN,
     80, 72, "Catch-up classes for out-of-school children aged 9 to 17."),
    ("minefop_nw", "vocational_training", "Vocational training scholarships", ["NW"], YOUTH,
     90, 168, "Tuition paid in approved training centres of the region."),
    ("minefop_nw", "employment", "Job counselling and placement", ["BAM", "KUM"], ADULTS, None,
     168, "Career guidance, CV support and job-seeker registration."),
    ("minader_sw", "agriculture_livestock", "Farm inputs and extension support", ["SW"],
     ADULTS, 120, 168, "Improved seed, fertiliser, tools and extension visits."),
    ("minader_sw", "agriculture_livestock", "Piggery and poultry starter kits", ["KBA"], ADULTS,
     40, 168, "Starter livestock with veterinary follow-up."),
    ("minproff_nw", "business_startup", "Women's income-generating activities", ["KUM"], WOMEN,
     50, 168, "Management training and start-up kits for women."),
    ("minproff_nw", "gbv", "Support for GBV survivors, Kumbo", ["KUM"], WOMEN, None, 24,
     "Listening, medical and legal referral, emergency shelter."),
    ("rhb", "health", "General outpatient consultations", ["NW"], ALL, None, 24,
     "Consultations, treatment and specialist referral."),
    ("rhb", "mhpss", "Psychiatric consultations", ["NW"], ALL, 20, 72,
     "Psychiatric assessment and follow-up for severe conditions."),
    ("rhbuea", "health", "Health screening and vaccination", ["SW"], ALL, None, 24,
     "Health check, HIV and TB screening, catch-up vaccination."),
    ("rhbuea", "disability", "Physiotherapy and mobility aids", ["SW"], ALL, 15, 168,
     "Physiotherapy, prostheses and mobility aids."),
    ("fako_legal", "legal_civil_documentation", "Birth certificates and ID cards", ["SW"], ALL,
     None, 168, "Late birth registration and national ID card applications."),
    ("fako_legal", "legal_civil_documentation", "Free legal advice", ["BUE", "KBA"], ADULTS, 30,
     72, "Legal advice and court accompaniment."),
    ("kvtc", "vocational_training", "Carpentry and joinery apprenticeship", ["KBA"], YOUTH, 20,
     72, "Nine-month workshop apprenticeship with a toolkit at the end."),
    ("kvtc", "vocational_training", "Hairdressing and cosmetology", ["KBA", "BUE"], YOUTH, 25,
     72, "Six-month course with salon placement."),
    ("kvtc", "literacy", "Adult literacy and numeracy", ["SW"], ALL, 50, 72,
     "Evening reading, writing and numeracy classes in English and Pidgin."),
    ("mcm", "financial_services", "Savings accounts and micro-loans", ["SW"], ADULTS, None, 168,
     "Savings account and small loans for income-generating activities."),
    ("bcd", "disability", "Disability assessment and assistive devices", ["NW"], ALL, 25, 168,
     "Functional assessment, assistive devices and home adaptation."),
    ("bcd", "vocational_training", "Inclusive vocational training", ["BAM"], (16, None, "fm",
     ["person_with_disability"]), 15, 168, "Adapted training in tailoring, shoe repair and "
     "computing for people with disabilities."),
    ("nwfc", "agriculture_livestock", "Cooperative membership and market access", ["BAM",
     "KUM"], ADULTS, 100, 168, "Cooperative membership, storage and joint sales."),
    ("nwfc", "labour_intensive_works", "Farm-to-market road works", ["KUM"], ADULTS, 80, 168,
     "Paid labour on community road rehabilitation."),
]


def _id(*parts):
    return uuid.uuid5(DEMO_NS, ":".join(parts))


def _organisation(key, name, kind, region_codes):
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(id=_id("org", key), name=name, type=kind,
                           regions=[region(c) for c in region_codes])
        db.session.add(org)
    if key in LOCAL_NAMES and not org.name_fr:
        org.name_fr, org.name_en = LOCAL_NAMES[key]
    if not org.description:
        org.description = name
    return org


def _areas(codes):
    regions = [region(c) for c in codes if len(c) == 2]
    return regions, [site(c) for c in codes if len(c) == 3]


def _service(ctx, orgs, spec):
    key, category, name, areas, (low, high, sexes, cats), capacity, hours, description = spec
    # Draw every random value first, whether or not the service exists: deterministic.
    taken = ctx.rng.randint(0, capacity) if capacity else 0
    digits = [ctx.rng.randint(50, 99), ctx.rng.randint(100, 999), ctx.rng.randint(100, 999)]
    number = "+237 6{} {} {}".format(*digits)  # noqa: UP032
    verified = VERIFIED_BASE - timedelta(days=ctx.rng.randint(0, 90))
    sid = _id("service", key, name)
    if db.session.get(Service, sid) is not None:
        return False
    org = orgs[key]
    french = any(c in ("EN", "MER", "MOR", "MOK") for c in areas)
    regions, sites = _areas(areas)
    service = Service(
        id=sid, organisation=org, category=category_by_code(category), name=name,
        description=description, minimum_age=low, maximum_age=high,
        serves_female="f" in sexes, serves_male="m" in sexes, regions=regions, sites=sites,
        capacity=capacity, open_slots=None if capacity is None else capacity - taken,
        referral_method=ReferralMethod.ICRS, response_time_hours=hours,
        eligibility_description=(
            "Personnes orientées par le programme DDR." if french
            else "People referred by the DDR programme."),
        application_process=(
            "Référence via ICRS ; le point focal confirme par téléphone." if french
            else "Refer through ICRS; the focal point confirms by phone."),
        assured_date=verified)
    service.set_categories(cats)
    langs = EN_LANGS if french else ENGLISH_LANGS
    service.languages = [ServiceLanguage(code=c, name=language_name(c)) for c in langs]
    service.phones = [Phone(number=number, type="voice")]
    service.contacts = [Contact(name="Point focal DDR" if french else "DDR focal point",
                                phone=number)]
    service.schedules = [Schedule(byday="MO,TU,WE,TH,FR", opens_at="08:00", closes_at="15:30")]
    db.session.add(service)
    return True


def load(ctx):
    ensure_taxonomy()
    orgs = {spec[0]: _organisation(*spec) for spec in ORGS}
    db.session.flush()
    added = sum(_service(ctx, orgs, spec) for spec in SERVICES)
    db.session.flush()
    ctx.summary.append(f"Directory: {len(ORGS)} organisations, {len(SERVICES)} services "
                       f"({added} new).")

"""~300 demo people across sites, categories and every stage, with consent, plans, notes,
follow-ups and profiles. Registered through the services (so everything is encrypted and
indexed), then back-dated so dashboards have a history."""
import datetime as dt

import sqlalchemy as sa

from icrs import lookups
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.timeutil import utcnow
from icrs.demo.plans import agree_first_plan
from icrs.demo.profiles import fill_demo_profile
from icrs.extensions import db
from icrs.people import casework, services
from icrs.people.models import ConsentMethod, ConsentPurpose, Person, StageChange
from icrs.people.services.consent_givers import record_consent_of_all
from icrs.people.states import ACTIVE, CLOSED, Stage, SuspendReason

COUNT = 300
SITE_WEIGHTS = {"MER": 70, "MOR": 55, "MOK": 40, "BAM": 45, "KUM": 25, "BUE": 40, "KBA": 25}
FRENCH_SITES = {"MER", "MOR", "MOK"}
NAMES_FR = {
    "female": ["Aïssatou", "Hadidja", "Fadimatou", "Zara", "Hawa", "Falmata", "Kaltouma", "Adama",
               "Maïmouna", "Ramatou", "Hadjara", "Zénabou", "Bintou", "Salamatou", "Amina"],
    "male": ["Moussa", "Abakar", "Oumarou", "Hamadou", "Bakary", "Ibrahim", "Mahamat", "Adamou",
             "Djibrilla", "Alhadji", "Boukar", "Issa", "Souleymane", "Youssouf", "Ousmane"],
    "last": ["Bello", "Abba", "Mahamat", "Oumarou", "Boukar", "Modu", "Goni", "Kolo", "Ali",
             "Hassan", "Abdoulaye", "Djidda", "Wandala", "Mana", "Ngoura", "Tchari", "Mbodou"],
}
NAMES_EN = {
    "female": ["Comfort", "Blessing", "Brenda", "Ngozi", "Precious", "Mercy", "Joy", "Gladys",
               "Vivian", "Sandrine", "Eposi", "Enanga", "Bih", "Lum", "Nkeng"],
    "male": ["Emmanuel", "Divine", "Clinton", "Collins", "Kingsley", "Godlove", "Bertrand",
             "Valentine", "Ebenezer", "Ndi", "Che", "Akwo", "Fonyuy", "Bongsiysi", "Njoh"],
    "last": ["Tanyi", "Ngwa", "Fon", "Nfor", "Che", "Ebot", "Tabi", "Ayuk", "Akwo", "Fru",
             "Nkwenti", "Neba", "Mbah", "Ndze", "Tangwa", "Mokake", "Enow"],
}
STAGE_WEIGHTS = [(Stage.REGISTERED, 18), (Stage.PROFILED, 14), (Stage.PLANNED, 14),
                 (Stage.REFERRED, 16), (Stage.IN_SERVICE, 16), (Stage.FOLLOW_UP, 9),
                 (Stage.REINTEGRATED, 7), (Stage.SUSPENDED, 3), (Stage.EXITED, 3)]
PATH = [Stage.REGISTERED, Stage.PROFILED, Stage.PLANNED, Stage.REFERRED, Stage.IN_SERVICE,
        Stage.FOLLOW_UP, Stage.REINTEGRATED]
PATHWAYS = ["agriculture", "livestock", "small_business", "vocational_training",
            "formal_education", "employment"]
SHARING = ["vocational_training", "business_startup", "agriculture_livestock", "mhpss", "health",
           "gbv", "formal_education", "legal_civil_documentation", "employment", "literacy"]


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(Person)):
        ctx.summary.append("People: demo people already present.")
        return
    workers = _caseworkers()
    supervisors = {u.region_id: u for u in db.session.scalars(
        sa.select(User).where(User.role == Role.SUPERVISOR, User.region_id.is_not(None)))}
    rng = ctx.rng
    sites = [code for code, w in SITE_WEIGHTS.items() for _ in range(w)]
    for n in range(COUNT):
        site_code = sites[n * len(sites) // COUNT]
        worker = workers[site_code]
        person = _register(rng, worker, site_code, n)
        _history(rng, person, worker, supervisors.get(person.region_id))
        if n % 50 == 49:
            db.session.flush()
    db.session.flush()
    ctx.summary.append(f"People: {COUNT} demo people registered.")


def _caseworkers():
    users = db.session.scalars(sa.select(User).where(User.role == Role.CASEWORKER)
                               .order_by(User.id)).all()
    by_site = {}
    for u in users:
        by_site.setdefault(u.site.code, u)
    return by_site


def _identity(rng, site_code, n):
    names = NAMES_FR if site_code in FRENCH_SITES else NAMES_EN
    roll = rng.random()
    if roll < 0.12:
        category, age = "caafag", rng.randint(13, 17)
    elif roll < 0.20:
        category, age = "person_with_disability", rng.randint(19, 50)
    elif roll < 0.27:
        category, age = "dependant", rng.randint(3, 40)
    else:
        category, age = None, rng.randint(18, 48)
    sex = "female" if rng.random() < (0.42 if category != "caafag" else 0.3) else "male"
    if category is None:
        category = "adult_woman" if sex == "female" else "adult_man"
    year = dt.date.today().year - age
    known_date = rng.random() < 0.6
    data = {"first_name": rng.choice(names[sex]), "last_name": rng.choice(names["last"]),
            "sex": sex, "category": category, "birth_year": year,
            "birth_date": dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            if known_date else None,
            "languages": (["fr", rng.choice(["ff", "ha", "kr", "shu", "mua"])]
                          if site_code in FRENCH_SITES else ["en", "wes"]),
            "phone": f"+2376{rng.randint(50, 99)}{rng.randint(100000, 999999)}"
            if rng.random() < 0.8 else None,
            "id_number": f"DDR-{site_code}-{n + 1:05d}" if rng.random() < 0.7 else None,
            "address": rng.choice(["Quartier ", "Village ", "Block "]) + rng.choice(
                names["last"])}
    if age < 18:
        data["caregiver_name"] = f"{rng.choice(names['female'])} {rng.choice(names['last'])}"
    return data


def _register(rng, worker, site_code, n):
    person = services.register_person(worker, worker.site, _identity(rng, site_code, n))
    person.registered_at = utcnow() - dt.timedelta(days=rng.randint(5, 540),
                                                   hours=rng.randint(0, 9))
    return person


def _pick_stage(rng):
    total = sum(w for _, w in STAGE_WEIGHTS)
    roll = rng.uniform(0, total)
    for stage, weight in STAGE_WEIGHTS:
        roll -= weight
        if roll <= 0:
            return stage
    return Stage.REGISTERED


def _history(rng, person, worker, supervisor):
    target = _pick_stage(rng)
    reach = target if target in PATH else rng.choice(PATH[:4])
    when = person.registered_at
    db.session.scalars(sa.select(StageChange).where(StageChange.person_id == person.id)
                       ).one().at = when
    if rng.random() < 0.92 or PATH.index(reach) > 0:
        _consents(rng, person, worker, when)
    _profile(rng, person, worker, reach)
    if PATH.index(reach) >= PATH.index(Stage.PLANNED):
        casework.record_counselling(worker, person, _counselling_text(rng, person))
        agree_first_plan(worker, person, rng.choice(PATHWAYS), _goal_text(rng, person))
    for stage in PATH[1:PATH.index(reach) + 1]:
        when = when + dt.timedelta(days=rng.randint(5, 40))
        if PATH.index(person.stage) >= PATH.index(stage):
            _back_date(person, stage, when)  # reached by the stage service on its own
            continue
        _move(person, stage, worker if stage != Stage.REINTEGRATED else supervisor, when)
    if target in (Stage.SUSPENDED, Stage.EXITED):
        reason = rng.choice(list(SuspendReason) if target == Stage.SUSPENDED
                            else lookups.codes("exit_reason"))
        _move(person, target, worker, when + dt.timedelta(days=rng.randint(3, 30)), str(reason))
    _follow_ups(rng, person, worker, reach)
    if rng.random() < 0.5:
        casework.add_note(worker, person, rng.choice(NOTES_FR if person.site.code in FRENCH_SITES
                                                      else NOTES_EN))


def _consents(rng, person, worker, when):
    method = rng.choice([ConsentMethod.SIGNED, ConsentMethod.THUMBPRINT])
    relationship = rng.choice(["mother", "mother", "father", "grandparent", "other_relative"])
    for purpose in (ConsentPurpose.REGISTRATION, ConsentPurpose.STORAGE,
                    ConsentPurpose.REPORTING):  # a child: the caregiver's consent and assent
        record_consent_of_all(worker, person, purpose, method, relationship=relationship)
    categories = rng.sample(SHARING, rng.randint(2, 5))
    if person.is_minor:  # a child is referred first to child protection
        categories.append("child_protection")
    for category in categories:
        record_consent_of_all(worker, person, ConsentPurpose.SHARING, method,
                              service_category=category, relationship=relationship)


def _profile(rng, person, worker, reach):
    completeness = 1.0 if PATH.index(reach) >= 1 else rng.choice([0.0, 0.3, 0.6])
    fill_demo_profile(person, rng, worker, completeness)


def _move(person, stage, actor, when, reason=None):
    if stage in CLOSED and person.stage in ACTIVE:
        person.stage_before = person.stage  # as the stage service keeps it
    db.session.add(StageChange(person_id=person.id, from_stage=person.stage, to_stage=stage,
                               actor_id=getattr(actor, "id", None), at=when, reason=reason))
    person.stage = stage
    person.stage_changed_at = when


def _back_date(person, stage, when):
    change = db.session.scalar(sa.select(StageChange).where(
        StageChange.person_id == person.id, StageChange.to_stage == stage))
    if change is not None:
        change.at = when
    if person.stage == stage:
        person.stage_changed_at = when


def _follow_ups(rng, person, worker, reach):
    if PATH.index(reach) < PATH.index(Stage.IN_SERVICE):
        return
    today = dt.date.today()
    follow_up = casework.schedule_follow_up(worker, person, today, "Visite à domicile"
                                            if person.site.code in FRENCH_SITES else "Home visit")
    follow_up.due_date = today + dt.timedelta(days=rng.randint(-20, 30))
    if reach in (Stage.FOLLOW_UP, Stage.REINTEGRATED):
        casework.complete_follow_up(worker, person, follow_up, rng.choice(
            NOTES_FR if person.site.code in FRENCH_SITES else NOTES_EN))


def _counselling_text(rng, person):
    if person.site.code in FRENCH_SITES:
        return "Entretien individuel : attentes, compétences et contraintes familiales discutées."
    return "Individual session: expectations, skills and family constraints discussed."


def _goal_text(rng, person):
    if person.site.code in FRENCH_SITES:
        return rng.choice(["Démarrer un petit commerce dans six mois.",
                           "Suivre une formation en couture puis s'installer.",
                           "Reprendre l'école et obtenir le CEP."])
    return rng.choice(["Start a small business within six months.",
                       "Complete a tailoring apprenticeship and set up a workshop.",
                       "Return to school and sit the First School Leaving Certificate."])


NOTES_FR = ["Personne rencontrée au centre ; bonne motivation.",
            "Appel de suivi : situation familiale stable.",
            "A besoin d'un acte de naissance avant l'inscription en formation."]
NOTES_EN = ["Met at the centre; well motivated.", "Follow-up call: family situation stable.",
            "Needs a birth certificate before enrolling in training."]

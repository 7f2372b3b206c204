"""Demo socioeconomic profiles: coherent with the person's age, sex, category and region; free
text in French for the Extrême-Nord and in English for the North-West and South-West."""
import datetime as dt

from icrs.core.timeutil import today, utcnow
from icrs.profiling import services
from icrs.profiling.queries import get_draft
from icrs.profiling.sections import SECTIONS
from icrs.profiling.sections.wellbeing import WG_DOMAINS

PLACES = {"fr": ["Kolofata", "Amchidé", "Mozogo", "Tolkomari", "Limani", "Kerawa", "Tourou"],
          "en": ["Batibo", "Ndop", "Jakiri", "Muyuka", "Ekona", "Mbengwi", "Bali"]}
TEXT = {
    "fr": {
        "household": "Vit avec {who} à {place}, dans une maison prêtée par un parent.",
        "who": {"child": "sa tante et ses cousins", "adult": "sa famille"},
        "training": "Apprentissage de {trade} pendant six mois chez un artisan de {place}.",
        "work": "Travaillait aux champs avec la famille avant {year}; petits travaux depuis.",
        "association": "Emmené(e) de {place} en {year}. Dit avoir surtout servi de {role}. "
                       "Sorti(e) en {left} ; remis(e) aux autorités à Mora.",
        "protection": "Craint d'être reconnu(e) au marché de {place}. Évite de sortir seul(e).",
        "health": "Douleurs à la jambe depuis une blessure ; suivi au centre de santé.",
        "aspirations": "Veut gagner sa vie près de sa famille et être respecté(e) au quartier.",
        "trade": {"tailoring": "la couture", "trading": "le petit commerce",
                  "farming": "l'agriculture", "livestock": "l'élevage", "mechanics":
                  "la mécanique moto", "masonry": "la maçonnerie",
                  "hairdressing": "la coiffure", "cooking": "la restauration"},
        "role": "porteur et cuisinier",
    },
    "en": {
        "household": "Lives with {who} in {place}, in a house lent by a relative.",
        "who": {"child": "an aunt and her children", "adult": "the family"},
        "training": "Six-month apprenticeship in {trade} with a craftsman in {place}.",
        "work": "Farmed with the family before {year}; odd jobs since then.",
        "association": "Taken from {place} in {year}. Says they mostly served as {role}. "
                       "Left in {left} and handed over to the DDR centre.",
        "protection": "Fears being recognised at {place} market. Avoids going out alone.",
        "health": "Leg pain since an injury; followed at the health centre.",
        "aspirations": "Wants to earn a living near the family and be respected again.",
        "trade": {"tailoring": "tailoring", "trading": "petty trading", "farming": "farming",
                  "livestock": "animal rearing", "mechanics": "motorbike repair",
                  "masonry": "masonry", "hairdressing": "hairdressing",
                  "cooking": "catering"},
        "role": "a carrier and cook",
    },
}
SKILLS = {"female": ["tailoring", "trading", "hairdressing", "cooking", "farming"],
          "male": ["farming", "livestock", "mechanics", "masonry", "trading", "driving"]}
OPTION_FOR_SKILL = {"farming": "agriculture", "livestock": "livestock", "trading":
                    "small_business", "tailoring": "vocational_training", "hairdressing":
                    "small_business", "cooking": "small_business", "mechanics":
                    "vocational_training", "masonry": "employment", "driving": "employment"}


def fill_demo_profile(person, rng, actor, completeness):
    """Write a profile through the services as `actor` (the assigned caseworker).
    completeness < 1: a draft with that share of the sections (0 writes nothing);
    completeness >= 1: complete and submitted, in one to three versions, sometimes with newer
    changes left in the draft. Returns the number of versions submitted."""
    if completeness <= 0:
        return 0
    answers = demo_answers(person, rng)
    if completeness < 1:
        count = max(1, round(completeness * len(SECTIONS)))
        for section in SECTIONS[:count]:
            _save(actor, person, section.code, answers[section.code])
        if count > 2:  # leave the last one half-answered
            last = SECTIONS[count - 1]
            _save(actor, person, last.code, {k: v for k, v in answers[last.code].items()
                                             if k not in last.required[:1]})
        return 0
    for section in SECTIONS:
        _save(actor, person, section.code, answers[section.code])
    versions = [services.submit_profile(actor, person, get_draft(person).version)]
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        for code, changed in _later_changes(rng, answers).items():
            _save(actor, person, code, changed)
        versions.append(services.submit_profile(actor, person, get_draft(person).version))
    if rng.random() < 0.2:
        _save(actor, person, "work", dict(answers["work"], has_debts="yes"))
    _backdate(rng, person, versions)
    return len(versions)


def _save(actor, person, code, answers):
    draft = get_draft(person)
    services.save_section(actor, person, code, answers, draft.version if draft else 0)


def _later_changes(rng, answers):
    """What typically changes between two profile interviews (always a real change)."""
    change = rng.choice(["work", "psychosocial", "household"])
    old = answers[change]
    if change == "work":
        new = dict(old, has_income="yes", current_activity="trade",
                   monthly_income=(old.get("monthly_income") or 0) + rng.choice([5000, 10000]))
    elif change == "psychosocial":
        new = dict(old, community_acceptance="accepted",
                   hopelessness="never" if old["hopelessness"] != "never" else "sometimes")
    else:
        size = old["household_size"]
        new = dict(old, household_size=size + 1 if size < 50 else size - 1)
    answers[change] = new
    return {change: new}


def _backdate(rng, person, versions):
    """Versions between registration and now, in order (the services stamp them now)."""
    start = person.registered_at or utcnow() - dt.timedelta(days=30)
    when = min(utcnow(), start + dt.timedelta(days=rng.randint(1, 6)))
    for version in versions:
        version.submitted_at = when
        for row in version.sections:
            row.saved_at = min(row.saved_at, when)
        when = min(utcnow(), when + dt.timedelta(days=rng.randint(20, 90)))


def demo_answers(person, rng) -> dict:
    """A complete, coherent set of answers for every section."""
    lang = "fr" if person.region.code == "EN" else "en"
    sex = getattr(person.sex, "value", person.sex)
    age = person.age or 25
    ctx = {"lang": lang, "t": TEXT[lang], "place": rng.choice(PLACES[lang]), "sex": sex,
           "age": age, "child": age < 18, "rng": rng,
           "disabled": getattr(person.category, "value", "") == "person_with_disability",
           "skills": rng.sample(SKILLS[sex], 2)}
    return {s.code: BUILDERS[s.code](ctx) for s in SECTIONS}


def _household(c):
    rng = c["rng"]
    if c["child"]:
        return {"household_size": rng.randint(4, 10), "head_of_household": "relative",
                "marital_status": "single", "living_arrangement": rng.choice(
                    ["relatives", "relatives", "host_family", "interim_care"]),
                "children_count": 0, "dependants_count": 0,
                "separated_from_parents": rng.choice(["yes", "yes", "no"]),
                "household_notes": c["t"]["household"].format(who=c["t"]["who"]["child"],
                                                              place=c["place"])}
    female_head = c["sex"] == "female" and rng.random() < 0.4
    children = rng.randint(0, 5)
    return {"household_size": children + rng.randint(1, 4),
            "head_of_household": "self" if female_head or c["sex"] == "male" else "spouse",
            "marital_status": "widowed" if female_head else rng.choice(
                ["married", "married", "polygamous", "single", "separated"]),
            "living_arrangement": "own_family", "children_count": children,
            "dependants_count": children + rng.randint(0, 2),
            "dependants_under_five": min(children, rng.randint(0, 2)),
            "household_notes": c["t"]["household"].format(who=c["t"]["who"]["adult"],
                                                          place=c["place"])}


def _education(c):
    rng = c["rng"]
    level = rng.choice(["none", "koranic", "primary_incomplete"] if c["lang"] == "fr"
                       else ["primary_incomplete", "primary", "secondary_first"])
    years = {"none": 0, "koranic": 0, "primary_incomplete": 3, "primary": 6,
             "secondary_first": 9}[level]
    literacy = "none" if years == 0 else ("basic" if years < 6 else "functional")
    return {"education_level": level, "years_of_schooling": years, "literacy": literacy,
            "reads_in": [] if literacy == "none" else [c["lang"]],
            "numeracy": "yes" if years or rng.random() < 0.5 else "no",
            "in_school": "no", "wants_school": "yes" if c["child"] else rng.choice(["yes", "no"])}


def _languages(c):
    rng = c["rng"]
    if c["lang"] == "fr":
        main = rng.choice(["ff", "kr", "ha", "shu", "mfh"])
        return {"languages_spoken": sorted({main, "fr", rng.choice(["ff", "ha"])}),
                "main_language": main, "service_language": "fr",
                "interpreter_needed": rng.choice(["yes", "no"])}
    return {"languages_spoken": ["en", "wes"], "main_language": "wes",
            "service_language": "en", "interpreter_needed": "no"}


def _skills(c):
    trained = not c["child"] and c["rng"].random() < 0.3
    return {"skills": sorted(c["skills"]), "training_done": "yes" if trained else "no",
            "training_details": c["t"]["training"].format(
                trade=c["t"]["trade"].get(c["skills"][0], c["skills"][0]), place=c["place"])
            if trained else None, "certificate": "no"}


def _work(c):
    rng = c["rng"]
    income = not c["child"] and rng.random() < 0.35
    return {"activity_before": "student" if c["child"] else rng.choice(["farming", "livestock",
                                                                         "trade", "casual"]),
            "current_activity": "casual" if income else ("student" if c["child"] else "none"),
            "has_income": "yes" if income else "no",
            "monthly_income": rng.choice([10000, 20000, 30000]) if income else None,
            "income_sources": ["casual"] if income else ["family"],
            "assets": sorted(rng.sample(["phone", "tools", "animals", "land"], rng.randint(0, 2))),
            "access_to_land": rng.choice(["yes", "no"]), "has_debts": "no",
            "work_notes": c["t"]["work"].format(year=today().year - rng.randint(3, 8))}


def _health(c):
    rng = c["rng"]
    answers = {d: "none" for d in WG_DOMAINS}
    if c["disabled"]:
        answers[rng.choice(["wg_walking", "wg_seeing", "wg_hearing"])] = rng.choice(
            ["a_lot", "cannot"])
    elif rng.random() < 0.2:
        answers[rng.choice(WG_DOMAINS)] = "some"
    pregnancy = "not_applicable" if c["sex"] == "male" or c["child"] else rng.choice(
        ["no", "no", "no", "pregnant", "lactating"])
    injured = c["disabled"] or rng.random() < 0.15
    return answers | {"chronic_illness": "yes" if rng.random() < 0.1 else "no",
                      "conflict_injury": "yes" if injured else "no", "pregnancy": pregnancy,
                      "health_needs": c["t"]["health"] if injured else None}


def _psychosocial(c):
    rng = c["rng"]
    hopeless = rng.choice(["never", "sometimes", "sometimes", "often"])
    return {"sleep_problems": rng.choice(["never", "sometimes", "often"]),
            "hopelessness": hopeless, "someone_to_talk_to": rng.choice(["yes", "yes", "no"]),
            "community_acceptance": rng.choice(["accepted", "partly", "partly", "rejected"]),
            "substance_use": "no", "wants_support": "yes" if hopeless == "often" else
            rng.choice(["yes", "no"])}


def _association(c):
    rng = c["rng"]
    this_year = today().year
    years_in = rng.randint(1, 4)
    left = this_year - rng.randint(0, 2)
    joined = max(left - years_in, this_year - c["age"] + 8)
    role = ("forced_marriage" if c["sex"] == "female" and not c["child"] and rng.random() < 0.5
            else rng.choice(["support", "domestic", "messenger"] if c["child"] or
                            c["sex"] == "female" else ["fighter", "support", "messenger"]))
    return {"group": rng.choice(["jas", "iswap"]) if c["lang"] == "fr" else "separatist",
            "role": role, "how_joined": rng.choice(["abducted", "abducted", "voluntary",
                                                    "family"]),
            "year_joined": min(joined, left), "year_left": left,
            "age_at_joining": max(8, c["age"] - (this_year - min(joined, left))),
            "how_left": rng.choice(["surrendered", "escaped", "escaped", "released"]),
            "association_notes": c["t"]["association"].format(
                place=c["place"], year=min(joined, left), left=left, role=c["t"]["role"])}


def _security(c):
    rng = c["rng"]
    threatened = rng.random() < 0.3
    gbv = "yes" if c["sex"] == "female" and rng.random() < 0.4 else rng.choice(
        ["no", "no", "not_said"])
    return {"feels_safe": "no" if threatened else rng.choice(["yes", "somewhat"]),
            "threatened": "yes" if threatened else "no",
            "threat_sources": ["former_group"] if threatened else [],
            "relocation_needed": "yes" if threatened and rng.random() < 0.3 else "no",
            "gbv_disclosed": gbv,
            "gbv_support_wanted": rng.choice(["yes", "no"]) if gbv == "yes" else None,
            "protection_notes": c["t"]["protection"].format(place=c["place"])
            if threatened else None}


def _aspirations(c):
    rng = c["rng"]
    option = "formal_education" if c["child"] and rng.random() < 0.6 else OPTION_FOR_SKILL.get(
        c["skills"][0], "small_business")
    return {"preferred_option": option, "second_option": OPTION_FOR_SKILL.get(
        c["skills"][1], "vocational_training"),
            "preferred_place": rng.choice(["stay", "stay", "return", "undecided"]),
            "trade_of_interest": c["t"]["trade"].get(c["skills"][0]),
            "needs_childcare": "yes" if c["sex"] == "female" and not c["child"]
            and rng.random() < 0.5 else "no", "aspirations": c["t"]["aspirations"]}


BUILDERS = {"household": _household, "education": _education, "languages": _languages,
            "skills": _skills, "work": _work, "health": _health, "psychosocial": _psychosocial,
            "association": _association, "security": _security, "aspirations": _aspirations}

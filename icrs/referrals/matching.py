"""Suggested services for a person, ranked by fit, each with the reasons for and against.

Signals: eligibility (age, sex, category), area served, shared language, open capacity, the
plan's pathway, and — when the profile exposes them — preferred option and skills. Ineligible
services are kept at the bottom with the reasons, so the caseworker sees why not.
"""
import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from icrs import lookups
from icrs.core.vocab import language_labels
from icrs.directory.eligibility import active_clauses, is_eligible, serves_region
from icrs.directory.models import Service, TaxonomyTerm
from icrs.directory.taxonomy import CHILD_PROTECTION
from icrs.extensions import db
from icrs.people.best_interest import allows_other_services as best_interest_allows
from icrs.people.protection import asks_per_referral
from icrs.people.services import consented_categories
from icrs.plans.queries import current_plan
from icrs.profiling.models import ProfileVersion

# Plan pathway / preferred option → service categories that serve it. The pathways are a list
# the programme adapts (icrs.lookups): a pathway added there has no categories here, so
# matching ranks it by the other criteria only.
PATHWAY_CATEGORIES = {
    "agriculture": {"agriculture_livestock"},
    "livestock": {"agriculture_livestock"},
    "small_business": {"business_startup", "financial_services"},
    "vocational_training": {"vocational_training", "literacy"},
    "formal_education": {"formal_education", "literacy"},
    "employment": {"employment", "labour_intensive_works", "vocational_training"},
}
# Profile skill codes → categories that build on them.
SKILL_CATEGORIES = {
    "farming": {"agriculture_livestock"}, "livestock": {"agriculture_livestock"},
    "fishing": {"agriculture_livestock"}, "trading": {"business_startup", "financial_services"},
    **{s: {"vocational_training", "employment", "business_startup"} for s in (
        "tailoring", "carpentry", "masonry", "mechanics", "welding", "electricity",
        "hairdressing", "cooking", "crafts", "computer")},
    "driving": {"employment"}, "teaching": {"employment"}, "health_care": {"employment"},
}
# Profile skill codes -> words naming that trade in a service's name or description (FR, EN;
# lower case, without accents). A service that names a trade builds only on that trade.
TRADE_WORDS = {
    "tailoring": ("couture", "stylisme", "tailor", "sewing"),
    "carpentry": ("menuiserie bois", "ebenist", "charpent", "carpent", "joinery"),
    "masonry": ("maconn", "mason", "bricklay"),
    "mechanics": ("mecani", "mechanic", "garage"),
    "welding": ("soudure", "metallique", "weld"),
    "electricity": ("electricit", "electric"),
    "hairdressing": ("coiffure", "hairdress", "barber"),
    "cooking": ("cuisine", "patisserie", "cooking", "catering"),
    "crafts": ("artisanat", "vannerie", "craft"),
    "computer": ("informatique", "computer"),
    "driving": ("conduite", "chauffeur", "driving"),
}
WEIGHTS = {"site": 3, "region": 2, "country": 1, "language": 2, "no_language": -2, "open": 1,
           "full": -4, "pathway": 5, "preferred": 2, "trade": 3, "skills": 1, "consent": 1}


@dataclass
class Suggestion:
    service: Service
    eligible: bool
    score: int = 0
    reasons: list = field(default_factory=list)    # why it fits
    problems: list = field(default_factory=list)   # why not, or what stands in the way
    consent: bool = False
    first: bool = False  # the default pathway (child protection, for a child): listed first


@dataclass
class PersonFit:
    """What the matcher knows about the person (plain, coarse fields only)."""

    age: int | None
    sex: str | None
    category: str | None
    site_id: int | None
    region_id: int | None
    languages: list
    pathway: str | None = None
    preferred: str | None = None
    skills: list = field(default_factory=list)
    consented: set = field(default_factory=set)
    minor: bool = False
    best_interest_done: bool = False  # a signed-off assessment allows other services


def person_fit(person) -> PersonFit:
    plan = current_plan(person)
    profile = current_profile(person)
    return PersonFit(
        age=person.age, sex=_value(person.sex), category=_value(person.category),
        site_id=person.site_id, region_id=person.region_id, languages=list(person.languages or []),
        pathway=_value(plan.pathway) if plan else None,
        preferred=_value(getattr(profile, "preferred_option", None)),
        skills=list(getattr(profile, "skills", None) or []),
        consented=_consented_categories(person), minor=person.is_minor,
        best_interest_done=person.is_minor and best_interest_allows(person))


def _value(enum_or_str):
    return getattr(enum_or_str, "value", enum_or_str)


def current_profile(person):
    """The latest submitted profile version, or None."""
    return db.session.scalar(sa.select(ProfileVersion).where(
        ProfileVersion.person_id == person.id, ProfileVersion.is_current.is_(True)).limit(1))


def _consented_categories(person):
    return consented_categories(person)  # a referral's own consent (GBV, MHPSS) is not one


def candidates(fit: PersonFit):
    """Active services covering the person's region (or the whole country)."""
    stmt = sa.select(Service).where(*active_clauses(),
                                    Service.category.has(TaxonomyTerm.active.is_(True)))
    if fit.region_id is not None:
        stmt = stmt.where(serves_region(fit.region_id))
    stmt = stmt.options(selectinload(Service.organisation), selectinload(Service.category),
                        selectinload(Service.eligible_categories),
                        selectinload(Service.languages), selectinload(Service.sites),
                        selectinload(Service.regions))
    return db.session.scalars(stmt.order_by(Service.name, Service.id)).all()


def suggest(person, limit=10, services=None) -> list[Suggestion]:
    fit = person_fit(person)
    scored = [score(service, fit) for service in (services or candidates(fit))]
    scored.sort(key=lambda s: (not s.eligible, not s.first, -s.score, s.service.name))
    return scored[:limit]


def score(service, fit: PersonFit) -> Suggestion:
    eligible, why_not = is_eligible(service, fit.age, fit.sex, fit.category)
    s = Suggestion(service=service, eligible=eligible, problems=list(why_not))
    for part in (_area, _language, _capacity, _pathway, _skills, _consent, _child):
        part(service, fit, s)
    return s


def _add(s, weight, reason=None, problem=None):
    s.score += WEIGHTS[weight]
    if reason is not None:
        s.reasons.append(reason)
    if problem is not None:
        s.problems.append(problem)


def _area(service, fit, s):
    site_ids = {site.id for site in service.sites}
    region_ids = {r.id for r in service.regions}
    if not site_ids and not region_ids:
        _add(s, "country", _l("Serves the whole country."))
    elif fit.site_id in site_ids:
        _add(s, "site", _l("Works at the person's site."))
    elif fit.region_id in region_ids:
        _add(s, "region", _l("Covers the person's region."))
    else:
        s.problems.append(_l("Works in the region, but not at the person's site."))


def _language(service, fit, s):
    offered = {lang.code for lang in service.languages}
    if not offered or not fit.languages:
        return
    shared = [code for code in fit.languages if code in offered]
    if shared:
        _add(s, "language", _l("Speaks %(langs)s with the person.",
                               langs=language_labels(shared)))
    else:
        _add(s, "no_language", problem=_l("No language in common with the person."))


def _capacity(service, fit, s):
    if service.open_slots is None:
        return
    if service.open_slots > 0:
        _add(s, "open", _l("%(n)s places open.", n=service.open_slots))
    else:
        _add(s, "full", problem=_l("No open place at the moment."))


def _pathway(service, fit, s):
    """Each reason names the answer it comes from (the plan, the profile)."""
    code = service.category.code if service.category else None
    if fit.pathway and code in PATHWAY_CATEGORIES.get(fit.pathway, ()):
        _add(s, "pathway", _l("Matches the plan's pathway: %(pathway)s.",
                              pathway=lookups.label("pathway", fit.pathway)))
    if fit.preferred and fit.preferred != fit.pathway \
            and code in PATHWAY_CATEGORIES.get(fit.preferred, ()):
        _add(s, "preferred", _l("Matches the preferred option in the profile: %(option)s.",
                                option=lookups.label("pathway", fit.preferred)))


def service_trades(service) -> set:
    """The trades a service names (tailoring, mechanics…), from its name and description."""
    text = _plain_text(f"{service.name} {getattr(service, 'description', '') or ''}")
    return {skill for skill, words in TRADE_WORDS.items() if any(w in text for w in words)}


def _plain_text(text):
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _skills(service, fit, s):
    """A service that names a trade builds on that trade only; one that names none (a grant,
    a bursary) on the skills its category uses. The reason quotes the profile's skills."""
    trades = service_trades(service)
    if trades:
        matched = [skill for skill in fit.skills if skill in trades]
        if matched:
            _add(s, "trade", _l("Trains in a trade the person has (profile skills: %(skills)s).",
                                skills=_skill_labels(matched)))
        return
    code = service.category.code if service.category else None
    matched = [skill for skill in fit.skills if code in SKILL_CATEGORIES.get(skill, ())]
    if matched:
        _add(s, "skills", _l("Can build on the person's skills (profile skills: %(skills)s).",
                             skills=_skill_labels(matched)))


def _skill_labels(codes):
    return ", ".join(lookups.label("skill", code) for code in codes)


def _consent(service, fit, s):
    code = service.category.code if service.category else None
    if asks_per_referral(code):  # asked on the referral form, for this referral only
        s.consent = True
        s.reasons.append(_l("Consent to share is asked for this referral, with the details "
                            "shown to the person."))
        return
    s.consent = code in fit.consented
    if s.consent:
        _add(s, "consent", _l("Consent to share covers this kind of service."))
    else:
        s.problems.append(_l("No consent to share for this kind of service yet."))



def _child(service, fit, s):
    """For a child, child protection is the default pathway; any other service waits for a
    signed-off best-interest assessment (icrs.people.best_interest)."""
    if not fit.minor:
        return
    if service.category is not None and service.category.code == CHILD_PROTECTION:
        s.first = True
        s.reasons.append(_l("Child protection: the default pathway for a child."))
    elif not fit.best_interest_done:
        s.problems.append(_l("A child: needs a best-interest assessment signed off by a "
                             "supervisor first."))

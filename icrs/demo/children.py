"""Demo children and households: best-interest assessments of the children in every state
(waiting for sign-off, rejected, signed off for child protection only, signed off for other
services), and households — women with their children (registered or light entries), one
member who moved out. Through the services (encrypted, audited, approvals); runs before the
demo referrals, which follow each child's sign-off."""
import sqlalchemy as sa

from icrs.approvals import services as approvals
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.timeutil import today
from icrs.core.vocab import PersonCategory
from icrs.extensions import db
from icrs.households import services as households
from icrs.households.models import LeftReason, Relationship
from icrs.people.best_interest import BestInterestAssessment, Recommendation, record_best_interest
from icrs.people.models import Person
from icrs.people.states import Stage

ASSESSMENT = {
    True: "Entretien avec l'enfant et sa mère : souhaite reprendre l'école ; famille prête à "
          "l'accueillir ; aucune menace signalée dans le quartier.",
    False: "Interview with the child and the mother: wishes to go back to school; the family "
           "is ready to take the child back; no threat reported in the neighbourhood.",
}
FRENCH_SITES = {"MER", "MOR", "MOK"}


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(BestInterestAssessment)):
        ctx.summary.append("Children: demo assessments already present.")
        return
    assessed = _assessments()
    homes = _households(ctx.rng)
    db.session.flush()
    ctx.summary.append(f"Children: {assessed} best-interest assessments, {homes} households.")


def _open_cases():
    return db.session.scalars(sa.select(Person).where(
        Person.erased_at.is_(None), Person.merged_into_id.is_(None),
        Person.caseworker_id.is_not(None)).order_by(Person.case_number)).all()


def _supervisor(person):
    return db.session.scalar(sa.select(User).where(
        User.role == Role.SUPERVISOR, User.region_id == person.region_id).order_by(User.id))


def _assessments():
    order = list(Stage)
    children = [p for p in _open_cases() if p.is_minor
                and order.index(p.stage) >= order.index(Stage.PROFILED)]
    for n, child in enumerate(children):
        supervisor = _supervisor(child)
        if supervisor is None:
            continue
        state = n % 6  # 0 waits, 1 rejected, 2 child protection only, else other services
        recommendation = (Recommendation.CHILD_PROTECTION_ONLY if state in (1, 2)
                          else Recommendation.OTHER_SERVICES)
        assessment = record_best_interest(child.caseworker, child, recommendation,
                                          ASSESSMENT[child.site.code in FRENCH_SITES])
        if state == 1:
            approvals.reject(supervisor, assessment.approval, "Revoir avec le responsable "
                             "légal avant toute décision." if child.site.code in FRENCH_SITES
                             else "Review with the legal guardian before deciding.")
        elif state >= 2:
            approvals.approve(supervisor, assessment.approval)
    return len(children)


def _households(rng):
    """Women heading a household with their children at Méri and Bamenda; the children are
    registered cases of the same caseworker where there are some, else light entries."""
    people = _open_cases()
    made = 0
    for site in ("MER", "BAM", "MOR"):
        here = [p for p in people if p.site.code == site]
        mothers = [p for p in here if p.category == PersonCategory.ADULT_WOMAN][:3]
        children = [p for p in here if p.is_minor]
        for n, mother in enumerate(mothers):
            _household(rng, mother, [c for c in children if c.caseworker_id ==
                                     mother.caseworker_id][2 * n:2 * n + 2], moved=n == 1)
            made += 1
    return made


def _household(rng, mother, children, moved):
    actor = mother.caseworker
    households.create_household(actor, mother)
    for child in children:
        households.add_registered_member(actor, mother, child.case_number, Relationship.CHILD,
                                         True)
    for _ in range(2 - len(children)):
        households.add_light_member(actor, mother, Relationship.CHILD,
                                    rng.choice(["female", "male"]),
                                    min(mother.birth_year + rng.randint(18, 28),
                                        today().year - 1), True)
    partner = households.add_light_member(actor, mother, Relationship.SPOUSE, "male",
                                          mother.birth_year - rng.randint(0, 8), not moved)
    if moved:  # the partner left: kept as history
        households.move_out(actor, mother, partner.id, LeftReason.MOVED_OUT)

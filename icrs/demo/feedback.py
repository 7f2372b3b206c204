"""Demo feedback and complaints: feedback codes for a few Méri cases, satisfaction answers
about the services people were referred to, complaints in every status (one overdue), one
taken by the hotline with a code, and one complaint about abuse by staff that only the
national supervisor, the demo's complaints focal point, can open. Through the services."""
import datetime as dt

import sqlalchemy as sa

from icrs.auth.models import User
from icrs.core.models import Site
from icrs.core.timeutil import today
from icrs.extensions import db
from icrs.feedback import services
from icrs.feedback.models import Feedback
from icrs.people.models import Person
from icrs.referrals.models import Referral

FOCAL_POINT = "supervisor.national"
SAYINGS = {
    "satisfied": "Le formateur est patient, j’ai appris à réparer les moteurs.",
    "unsatisfied": "Les séances commencent souvent avec deux heures de retard.",
    "delay": "On m’a promis un rappel il y a trois semaines, personne n’a appelé.",
    "privacy": "Un voisin savait que j’étais venu au centre : qui le lui a dit ?",
    "abuse": "Un agent m’a demandé de l’argent pour accélérer mon kit.",
    "hotline": "Le kit de couture reçu n’avait pas de ciseaux.",
}


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)):
        ctx.summary.append("Feedback: demo feedback already present.")
        return
    focal = db.session.scalar(sa.select(User).where(User.username == FOCAL_POINT))
    focal.complaints_focal_point = True
    people = _meri_cases()
    if len(people) < 4:
        return
    scores = _satisfaction(people)
    complaints = _complaints(people)
    db.session.flush()
    ctx.summary.append(f"Feedback: {scores} satisfaction answers, {complaints} complaints "
                       f"(focal point: {FOCAL_POINT}).")


def _meri_cases():
    return db.session.scalars(
        sa.select(Person).join(Site, Person.site_id == Site.id)
        .where(Site.code == "MER", Person.erased_at.is_(None), Person.merged_into_id.is_(None),
               Person.caseworker_id.is_not(None)).order_by(Person.case_number)).all()


def _satisfaction(people):
    """Up to six people referred to the same service say how satisfied they are (a mean shows
    from five answers); one other service gets two answers (not shown)."""
    by_service = {}
    for referral in db.session.scalars(sa.select(Referral).where(
            Referral.person_id.in_([p.id for p in people]))):
        by_service.setdefault(referral.service_id, set()).add(referral.person_id)
    ranked = sorted(by_service.items(), key=lambda item: -len(item[1]))
    count = 0
    for (service_id, person_ids), scores in zip(ranked[:2], ((5, 4, 4, 5, 3, 4), (2, 3)),
                                                strict=False):
        for person_id, score in zip(sorted(person_ids) * 6, scores, strict=False):
            person = db.session.get(Person, person_id)
            text = SAYINGS["satisfied" if score >= 4 else "unsatisfied"]
            services.record_feedback(person.caseworker, person, "feedback", "service_quality",
                                     "in_person", text, service=_service(service_id),
                                     satisfaction=score)
            count += 1
    return count


def _service(service_id):
    from icrs.directory.models import Service
    return db.session.get(Service, service_id)


def _complaints(people):
    owner = people[0].caseworker
    delay = services.record_feedback(owner, people[0], "complaint", "access_delay", "phone",
                                     SAYINGS["delay"])
    delay.received_at -= dt.timedelta(days=20)
    delay.due_on = today() - dt.timedelta(days=6)  # overdue: waiting for the supervisor
    privacy = services.record_feedback(owner, people[1], "complaint", "privacy", "in_person",
                                       SAYINGS["privacy"])
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    services.change_status(supervisor, privacy, "answered",
                           "Rencontre avec la personne ; rappel des règles de confidentialité "
                           "à l’équipe du centre.")
    services.record_feedback(owner, people[2], "complaint", "staff_abuse", "in_person",
                             SAYINGS["abuse"], concerns=_colleague())
    code = services.issue_code(people[3].caseworker, people[3])
    hotline = services.record_by_code(owner, code, "complaint", "assistance",
                                      SAYINGS["hotline"])
    services.change_status(supervisor, hotline, "in_progress")
    return 4


def _colleague():
    return db.session.scalar(sa.select(User).where(User.username == "caseworker.meri2"))

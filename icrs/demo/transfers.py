"""Demo transfers between sites, one in each state that matters: a Méri case waiting for Mora's
decision, one accepted (now a Mora case, assigned to Mora's caseworker; Méri keeps the stub) and
one rejected by the receiving side with its reason. Through the services (encrypted, audited,
notified); runs last, after every part that works on the Méri cases."""
import sqlalchemy as sa

from icrs.auth.models import User
from icrs.demo.places import site
from icrs.extensions import db
from icrs.people.models import ConsentPurpose, Person
from icrs.people.services.consent import has_consent
from icrs.people.states import Stage
from icrs.transfers import services
from icrs.transfers.models import CaseTransfer

# (receiving site, reason, decision, comment)
STEPS = [
    ("MOR", "La famille s'est installée à Mora ; elle souhaite y poursuivre son suivi.",
     "accept", "Bienvenue : suivi repris par l'équipe de Mora."),
    ("MOK", "Souhaite suivre une formation proposée à Mokolo.", "reject",
     "Pas de place dans la formation avant six mois : garder le suivi à Méri."),
    ("MOR", "Déménagement prévu chez un oncle à Mora le mois prochain.", None, None),
]


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(CaseTransfer)):
        ctx.summary.append("Transfers: demo transfers already present.")
        return
    requester, receiver = _user("caseworker"), _user("supervisor")
    cases = _cases(requester)
    made = 0
    for (code, reason, decision, comment), person in zip(STEPS, cases, strict=False):
        transfer = services.request_transfer(requester, person, site(code), reason)
        if decision == "accept":
            newcomer = _user("caseworker.mora")
            services.accept(receiver, transfer, newcomer, comment)
        elif decision == "reject":
            services.reject(receiver, transfer, comment)
        made += 1
    db.session.flush()
    ctx.summary.append(f"Transfers: {made} (accepted, rejected, waiting).")


def _user(username):
    return db.session.scalar(sa.select(User).where(User.username == username))


def _cases(requester):
    """Méri cases of the demo caseworker, open and with consent to case management."""
    rows = db.session.scalars(sa.select(Person).where(
        Person.site_id == requester.site_id, Person.caseworker_id == requester.id,
        Person.erased_at.is_(None), Person.merged_into_id.is_(None),
        Person.stage.in_((Stage.REGISTERED, Stage.PROFILED, Stage.PLANNED)))
        .order_by(Person.case_number.desc())).all()
    return [p for p in rows if has_consent(p, ConsentPurpose.REGISTRATION)][:len(STEPS)]

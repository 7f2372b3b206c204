"""Demo reintegration plans: every planned case got a first plan (one goal) in counselling
(icrs.demo.people); here a few cases get a revised version with several goals and actions in
every status, linked to their referral and their assistance, agreed in each way (signed,
thumbprint, verbal with a witness); one waits for the supervisor's budget approval and one is
still a draft. Through the services (encrypted, audited)."""
import datetime as dt

import sqlalchemy as sa

from icrs.core.errors import DomainError
from icrs.core.timeutil import today
from icrs.extensions import db
from icrs.people.models import Person
from icrs.people.states import Stage
from icrs.plans import services as plans
from icrs.plans.models import AgreementMethod, PlanVersion
from icrs.plans.queries import current_plan

FRENCH_SITES = {"MER", "MOR", "MOK"}
STAGES = (Stage.PLANNED, Stage.REFERRED, Stage.IN_SERVICE, Stage.FOLLOW_UP)
# how each revised plan ends: agreed (by which method), waiting for approval, still a draft
ENDINGS = ["signed", "thumbprint", "verbal_witnessed", "awaiting", "signed", "draft"]
GOALS = {True: ["Ouvrir un atelier de couture au marché de Mora :\n- louer un local\n"
                "- acheter une machine\n- trouver trois clientes fidèles",
                "Obtenir un acte de naissance et la carte nationale d'identité."],
         False: ["Open a tailoring workshop at the market:\n- rent a stall\n- buy a machine\n"
                 "- find three regular customers",
                 "Get a birth certificate and the national ID card."]}
TEXTS = {True: ["Orientation vers la formation professionnelle", "Kit ou subvention de "
                "démarrage", "Demande d'acte de naissance au centre d'état civil",
                "Séances de soutien psychosocial", "Formation en gestion simple"],
         False: ["Referral to vocational training", "Start-up kit or grant",
                 "Birth certificate request at the civil registry",
                 "Psychosocial support sessions", "Basic business management course"]}


def agree_first_plan(worker, person, pathway, goal):
    """The plan agreed in the first counselling session (icrs.demo.people)."""
    version = plans.save_draft(worker, person, pathway, [goal], [])
    method = AgreementMethod.THUMBPRINT if person.site.code in FRENCH_SITES \
        else AgreementMethod.SIGNED
    plans.record_agreement(worker, version, today(), method)
    return version


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(PlanVersion)
                         .where(PlanVersion.number > 1)):
        ctx.summary.append("Plans: demo revisions already present.")
        return
    made = 0
    for person in _candidates():
        if made == len(ENDINGS):
            break
        try:
            with db.session.begin_nested():
                _revise(person, ENDINGS[made])
        except DomainError:
            continue
        made += 1
    db.session.flush()
    ctx.summary.append(f"Plans: {made} revised plans with actions (one waiting for budget "
                       "approval, one draft).")


def _candidates():
    people = db.session.scalars(sa.select(Person).where(
        Person.erased_at.is_(None), Person.merged_into_id.is_(None),
        Person.caseworker_id.is_not(None), Person.stage.in_(STAGES))
        .order_by(Person.case_number)).all()
    return [p for p in people if current_plan(p) is not None and not p.is_minor]


def _revise(person, ending):
    worker, french = person.caseworker, person.site.code in FRENCH_SITES
    referral = _latest(person, "referral", "created_at")
    entitlement = _latest(person, "entitlement", "proposed_at")
    over = ending == "awaiting"
    version = plans.save_draft(worker, person, current_plan(person).pathway,
                               GOALS[french], _actions(person, referral, entitlement, over))
    if ending == "draft":
        return
    method = AgreementMethod.SIGNED if ending == "awaiting" else AgreementMethod(ending)
    witness = ("Chef de quartier" if french else "Quarter head") \
        if method == AgreementMethod.VERBAL_WITNESSED else None
    plans.record_agreement(worker, version, today(), method, witness,
                           "Devis du fournisseur joint au dossier." if french and over
                           else "Supplier's quote in the file." if over else None)


def _latest(person, kind, order):
    from icrs.plans.links import model
    cls = model(kind)
    row = db.session.scalar(sa.select(cls).where(cls.person_id == person.id)
                            .order_by(getattr(cls, order).desc()).limit(1))
    return f"{kind}:{row.id}" if row is not None else ""


def _actions(person, referral, entitlement, over):
    texts, due = TEXTS[person.site.code in FRENCH_SITES], today()
    worker = person.caseworker_id
    rows = [("referral", worker, 30, None, "planned", referral),
            ("assistance", worker, 60, 350000 if over else 150000, "planned", entitlement),
            ("documentation", plans.PERSON, -10, 5000, "done", ""),
            ("counselling", worker, 45, None, "in_progress", ""),
            ("training", plans.PERSON, 90, 40000, "dropped" if over else "planned", "")]
    return [{"description": text, "action_type": kind, "owner": owner,
             "due_date": due + dt.timedelta(days=days), "budget": budget, "status": status,
             "carrier": carrier}
            for text, (kind, owner, days, budget, status, carrier) in zip(texts, rows,
                                                                           strict=True)]

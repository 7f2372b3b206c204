"""Demo community-based reintegration: four community members registered at Méri with the
light form, and four groups of ex-associates and community members, one in each status — an
active cooperative facilitated by the training centre, with its plan, a group grant and two
follow-ups whose cohesion rises; a savings group still forming; a CVR work team now
self-reliant; a dissolved sports club. Through the services, as the Méri caseworker."""
import datetime as dt

import sqlalchemy as sa

from icrs.assistance import services as assistance
from icrs.assistance.models import AssistanceType
from icrs.auth.models import User
from icrs.core.errors import DomainError
from icrs.core.models import Site
from icrs.core.timeutil import today
from icrs.directory.models import Organisation
from icrs.extensions import db
from icrs.groups import services
from icrs.groups.models import CommunityGroup
from icrs.people import services as people
from icrs.people.kinds import BeneficiaryKind
from icrs.people.models import Person

COMMUNITY = [("Hadja", "Oumarou", "female", 1986, "host_community"),
             ("Falta", "Abba", "female", 1992, "victim"),
             ("Ibrahim", "Goni", "male", 1979, "returnee"),
             ("Aïssatou", "Mal", "female", 1998, "idp")]
FACILITATOR = "Centre de Formation aux Métiers de Maroua"


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(CommunityGroup)):
        ctx.summary.append("Groups: demo groups already present.")
        return
    worker = db.session.scalar(sa.select(User).where(User.username == "caseworker"))
    ex = _meri_ex_associates()
    if worker is None or len(ex) < 6:
        return
    community = [_register(worker, *row) for row in COMMUNITY]
    facilitator = db.session.scalar(sa.select(Organisation).where(
        Organisation.name == FACILITATOR))
    made = [_cooperative(worker, ex[:3] + community[:2], facilitator),
            _forming(worker, ex[3:4] + community[2:3]),
            _self_reliant(worker, ex[4:6] + community[3:4]),
            _dissolved(worker, ex[5:6] + community[:1])]
    db.session.flush()
    ctx.summary.append(f"Groups: {len(community)} community members, {len(made)} groups.")


def _meri_ex_associates():
    return db.session.scalars(
        sa.select(Person).join(Site, Person.site_id == Site.id)
        .where(Site.code == "MER", Person.erased_at.is_(None), Person.merged_into_id.is_(None),
               Person.beneficiary_kind == BeneficiaryKind.EX_ASSOCIATE,
               Person.birth_year <= today().year - 18)
        .order_by(Person.case_number)).all()


def _register(worker, first, last, sex, year, category):
    return people.register_community_member(worker, worker.site, {
        "first_name": first, "last_name": last, "sex": sex, "birth_year": year,
        "community_category": category, "languages": ["ff", "fr"],
        "address": "Méri"}, "thumbprint")


def _group(worker, name, kind, members, facilitator=None):
    group = services.create_group(worker, name, kind, facilitator.id if facilitator else None)
    roles = ["president", "treasurer", "secretary"]
    for i, person in enumerate(members):
        services.add_member(worker, group, person, roles[i] if i < len(roles) else "member",
                            today() - dt.timedelta(days=200))
    return group


def _cooperative(worker, members, facilitator):
    group = _group(worker, "Coopérative Espoir de Méri", "cooperative", members, facilitator)
    services.save_plan(worker, group, "Culture et vente d’oignons",
                       "Vendre deux tonnes par saison ; rembourser la motopompe en un an.",
                       "Semences, motopompe, 1 ha de terre prêtée par le lamido.")
    services.change_status(worker, group, "active")
    services.record_meeting(worker, group, today() - dt.timedelta(days=30), len(members))
    services.record_follow_up(worker, group, today() - dt.timedelta(days=120), 2, 2, 1, "partly")
    services.record_follow_up(worker, group, today() - dt.timedelta(days=10), 4, 4, 3, "yes")
    _grant(worker, group)
    return group


def _grant(worker, group):
    """A group grant of the first assistance type every member may receive (none: skipped)."""
    for kind in db.session.scalars(sa.select(AssistanceType).where(
            AssistanceType.active.is_(True)).order_by(AssistanceType.code)):
        if all(assistance.eligibility_problem(m.person, kind) is None
               for m in group.current_members):
            try:
                with db.session.begin_nested():
                    services.grant(worker, group, kind, kind.unit_value * 2,
                                   "Motopompe et semences pour la coopérative.")
                return
            except DomainError:
                continue


def _forming(worker, members):
    return _group(worker, "Groupe d’épargne Femmes de Méri", "vsla", members)


def _self_reliant(worker, members):
    group = _group(worker, "Équipe CVR du quartier Domayo", "cvr_team", members)
    services.save_plan(worker, group, "Curage des caniveaux et entretien des pistes",
                       "Tenir le quartier propre avant la saison des pluies.", "Pelles, brouettes.")
    services.change_status(worker, group, "active")
    services.record_follow_up(worker, group, today() - dt.timedelta(days=150), 3, 3, 0, "partly")
    services.record_follow_up(worker, group, today() - dt.timedelta(days=20), 5, 4, 2, "yes")
    services.change_status(worker, group, "self_reliant")
    return group


def _dissolved(worker, members):
    group = _group(worker, "Club de football de la paix", "sports_culture", members)
    services.change_status(worker, group, "active")
    services.record_follow_up(worker, group, today() - dt.timedelta(days=90), 2, 2, 0, "no")
    services.change_status(worker, group, "dissolved")
    return group

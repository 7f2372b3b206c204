"""Demo reintegration assistance and stage approvals: a catalogue (two funding sources, this
year's programme period, a start-up grant, a tailoring kit, goats in kind), entitlements in every
state (waiting for approval, blocked by a look-alike at another site when the names collide,
approved, partly and fully handed over (signed on screen), rejected, one handover reversed,
verified by a spot-check, one whose spot-check found a discrepancy; the other handovers'
spot-checks wait for their supervisor), and reintegration requests waiting in the
supervisors' worklist (one overdue, one rejected). Through the services (encrypted, audited,
four-eyes)."""
import base64
import datetime as dt
import io

import sqlalchemy as sa
from PIL import Image, ImageDraw

from icrs.approvals import services as approvals
from icrs.assistance import catalogue, ledger, verification
from icrs.assistance import services as assistance
from icrs.assistance.models import AssistanceType, Handover
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import DomainError
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.people import stage_approvals
from icrs.people.models import Person
from icrs.people.states import Stage

WHY = {True: "Plan de réintégration : démarrer l'activité convenue lors de l'entretien.",
       False: "Reintegration plan: start the activity agreed in counselling."}
FRENCH_SITES = {"MER", "MOR", "MOK"}
STEPS = ["waiting", "approved", "part", "full", "rejected", "reversed", "verified",
         "discrepancy"]
CHECKED = ("verified", "discrepancy")


def load(ctx):
    admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN).order_by(User.id))
    if admin is None or db.session.scalar(sa.select(sa.func.count())
                                          .select_from(AssistanceType)):
        ctx.summary.append("Assistance: demo catalogue already present.")
        return
    types = _catalogue(admin)
    made, checked = _entitlements(types)
    checks = _spot_checks(checked)
    asked = _reintegration_requests()
    db.session.flush()
    ctx.summary.append(f"Assistance: {len(types)} assistance types, {made} entitlements, "
                       f"{checks} spot-checks; {asked} reintegration requests.")


def _catalogue(admin):
    pbf = catalogue.create_funding_source(admin, "pbf_ddr", "Fonds pour la consolidation de la "
                                          "paix — DDR", "UN Peacebuilding Fund", "PBF/CMR/2025")
    eu = catalogue.create_funding_source(admin, "eu_reint", "Réintégration communautaire",
                                         "Union européenne", "NDICI-CM-07")
    year = today().year
    catalogue.create_period(admin, f"Phase {year}", dt.date(year, 1, 1), dt.date(year, 12, 31))
    specs = [
        ("startup_grant", {"kind": "cash_grant", "name_fr": "Subvention de démarrage",
                           "name_en": "Business start-up grant", "unit_value": 150000,
                           "funding_source_id": pbf.id, "cap_per_person": 150000,
                           "cap_per_household": 300000}),
        ("tailoring_kit", {"kind": "kit", "name_fr": "Kit de couture", "name_en": "Tailoring kit",
                           "unit_value": 95000, "funding_source_id": eu.id,
                           "cap_per_person": 95000,
                           "items": "1 | Machine à coudre manuelle | Hand sewing machine\n"
                                    "4 | Coupon de tissu | Fabric length\n"
                                    "1 | Ciseaux de tailleur | Tailor's scissors"}),
        ("goats", {"kind": "in_kind", "name_fr": "Chèvres (élevage)", "name_en": "Goats "
                   "(livestock)", "unit_value": 120000, "funding_source_id": eu.id,
                   "cap_per_period": 120000}),
    ]
    return [catalogue.create_type(admin, code, data) for code, data in specs]


def _candidates():
    order = list(Stage)
    people = db.session.scalars(sa.select(Person).where(
        Person.erased_at.is_(None), Person.merged_into_id.is_(None),
        Person.caseworker_id.is_not(None)).order_by(Person.case_number)).all()
    return [p for p in people if not p.is_minor
            and order.index(Stage.IN_SERVICE) <= order.index(p.stage) <= order.index(
                Stage.REINTEGRATED)]


def _supervisor(person):
    return db.session.scalar(sa.select(User).where(
        User.role == Role.SUPERVISOR, User.region_id == person.region_id).order_by(User.id))


def _entitlements(types):
    """Two rounds of every state, each on the next case it works for. Returns how many, and
    {handover id: step} of the handovers whose spot-check gets a result."""
    made, steps, checked = 0, STEPS * 2, {}
    for person in _candidates():
        if made == len(steps):
            break
        kind = types[made % len(types)]
        if assistance.eligibility_problem(person, kind):
            continue
        try:
            with db.session.begin_nested():  # a refusal (caps, look-alikes) leaves no half
                done = _one(person, kind, steps[made])
        except DomainError:
            continue
        if isinstance(done, Handover):
            checked[done.id] = steps[made]
        made += bool(done)
    return made, checked


def _one(person, kind, step):
    worker, supervisor = person.caseworker, _supervisor(person)
    french = person.site.code in FRENCH_SITES
    entitlement = assistance.propose_entitlement(worker, person, kind, kind.unit_value,
                                                 WHY[french])
    if step == "waiting" or supervisor is None:
        return True
    request = assistance.pending_request(entitlement)
    if step == "rejected":
        approvals.reject(supervisor, request, "Montant à revoir avec le devis du fournisseur."
                         if french else "Review the amount against the supplier's quote.")
        return True
    try:
        with db.session.begin_nested():
            approvals.approve(supervisor, request)
    except DomainError:  # a look-alike elsewhere: stays waiting, blocked, for the supervisor
        return False
    if step in ("part", "full", "reversed", *CHECKED):
        value = kind.unit_value if step != "part" else kind.unit_value // 3
        handover = ledger.record_handover(worker, entitlement, {
            "handed_on": today(), "site_id": person.site_id, "value": value,
            "items": {item.id: item.quantity for item in kind.items} if step != "part" else {},
            **_receipt(step, french)})
        if step == "reversed":
            ledger.reverse_handover(worker, handover, "Saisie en double du même versement."
                                    if french else "The same payment was entered twice.")
        if step in CHECKED:
            return handover
    return True


def _receipt(step, french):
    """The fully handed over ones were signed on screen; the others, a thumbprint."""
    if step == "full":
        return {"receipt_method": "screen_signature", "signature": _signature()}
    return {"receipt_method": "thumbprint",
            "witness_name": "Chef de quartier" if french else "Quarter head"}


def _signature():
    """A signature as the handover form's pad sends it: a PNG data URL."""
    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).line([(40, 150), (90, 50), (150, 140), (230, 60), (300, 150),
                                (420, 90), (560, 120)], fill="#111", width=3, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _spot_checks(checked):
    """Every standing handover drawn (the demo's rate is everything); the checks of the
    "verified" and "discrepancy" cases recorded by their supervisor, the others waiting."""
    made = verification.draw_spot_checks(None, 30, fraction=1.0)
    for n, check in enumerate(made):
        check.drawn_at = utcnow() - dt.timedelta(days=1 + n % 6)
        step = checked.get(check.handover_id)
        if step is None:
            continue
        french = check.person.site.code in FRENCH_SITES
        if step == "verified":
            verification.record_spot_check(check.assigned_to, check, "confirmed", "in_use",
                                           "Atelier ouvert, outils en service." if french
                                           else "Workshop open, tools in use.")
        else:
            verification.record_spot_check(check.assigned_to, check, "confirmed",
                                           "sold_or_lost", "Matériel revendu au marché." if
                                           french else "Equipment sold at the market.")
    return len(made)


def _reintegration_requests():
    """Cases whose follow-ups are done: their caseworker asks a supervisor to approve the
    reintegration (some waited long enough to be overdue; one was rejected)."""
    asked = 0
    for person in _follow_up_cases()[:5]:
        try:
            with db.session.begin_nested():
                request = stage_approvals.request_move(
                    person.caseworker, person, stage_approvals.REINTEGRATION,
                    WHY[person.site.code in FRENCH_SITES])
        except DomainError:
            continue
        asked += 1
        request.requested_at = utcnow() - dt.timedelta(days=2 + 4 * asked)
        supervisor = _supervisor(person)
        if asked == 1 and supervisor is not None:
            approvals.reject(supervisor, request, "Une visite de suivi de plus avant de "
                             "décider." if person.site.code in FRENCH_SITES
                             else "One more follow-up visit before deciding.")
    return asked


def _follow_up_cases():
    return db.session.scalars(sa.select(Person).where(
        Person.stage == Stage.FOLLOW_UP, Person.erased_at.is_(None),
        Person.merged_into_id.is_(None), Person.caseworker_id.is_not(None))
        .order_by(Person.case_number)).all()

"""Demo protection and data-quality work: encrypted attachments (an ordinary and a restricted
one), break-glass uses by a colleague of Méri (one still open, one expired), a duplicate
registered at Mora and merged into its Méri case, and a small caseload import at Mokolo with its
saved column mapping. Everything goes through the services (encrypted, audited)."""
import datetime as dt
import io

import sqlalchemy as sa
from PIL import Image, ImageDraw

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.models import Site
from icrs.core.timeutil import utcnow
from icrs.documents.models import Attachment, AttachmentKind
from icrs.documents.services import attach
from icrs.extensions import db
from icrs.people import merge, services
from icrs.people.imports import mapping
from icrs.people.imports.plan import apply_import
from icrs.people.imports.reader import read_table
from icrs.people.models import ImportTemplate, Person
from icrs.people.services.break_glass import break_glass
from icrs.people.states import Stage

COLLEAGUE = "caseworker.meri2"
REASONS = ["Permanence du week-end : la personne s'est présentée au centre en détresse.",
           "Appel du poste de santé de Méri pendant l'absence de l'agent en charge."]
IMPORT_CSV = (
    "prenom,nom,sexe,annee_naissance,categorie,telephone,_uuid\n"
    "Halimatou,Goni,F,1996,adult_woman,+237655100201,kobo-mok-0001\n"
    "Ibrahima,Tchari,M,1991,adult_man,,kobo-mok-0002\n"
    "Ramatou,Kolo,F,2000,adult_woman,+237655100203,kobo-mok-0003\n"
    "Abdouraman,Mbodou,M,1988,adult_man,+237655100204,kobo-mok-0004\n"
)
IMPORT_TEMPLATE = "Export KoBoToolbox — Mokolo"


def load(ctx):
    if db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)):
        ctx.summary.append("Protection: demo attachments already present.")
        return
    done = [_attachments(), _break_glass(), _merge(), _import()]
    db.session.flush()
    ctx.summary.append("Protection: " + ", ".join(d for d in done if d) + ".")


def _user(username):
    return db.session.scalar(sa.select(User).where(User.username == username))


def _cases(site_code, limit, stage_at_least=Stage.PROFILED):
    order = list(Stage)
    people = db.session.scalars(
        sa.select(Person).join(Site, Person.site_id == Site.id)
        .where(Site.code == site_code, Person.erased_at.is_(None),
               Person.merged_into_id.is_(None), Person.caseworker_id.is_not(None))
        .order_by(Person.case_number)).all()
    return [p for p in people
            if order.index(p.stage) >= order.index(stage_at_least)][:limit]


def scanned_form(title: str) -> bytes:
    """A small grey 'scan' of a paper form (PNG), for the attachments."""
    image = Image.new("L", (420, 560), 250)
    draw = ImageDraw.Draw(image)
    draw.text((24, 24), title, fill=20)
    for y in range(80, 520, 28):
        draw.line((24, y, 396, y), fill=170)
    draw.text((24, 500), "Signature / Empreinte", fill=40)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _attachments():
    count = 0
    for site in ("MER", "MOR", "BAM", "BUE"):
        for n, person in enumerate(_cases(site, 3)):
            attach(person.caseworker, person, AttachmentKind.CONSENT_FORM,
                   "scan-consentement-01.png", scanned_form("Formulaire de consentement"))
            count += 1
            if n == 0:
                attach(person.caseworker, person, AttachmentKind.RESTRICTED,
                       "certificat-medical-01.png", scanned_form("Certificat médical"))
                count += 1
    return f"{count} attachments" if count else ""


def _break_glass():
    colleague = _user(COLLEAGUE)
    people = [p for p in _cases("MER", 6) if p.caseworker_id != getattr(colleague, "id", None)]
    if colleague is None or len(people) < 2:
        return ""
    grants = [break_glass(colleague, person, reason)
              for person, reason in zip(people[:2], REASONS, strict=True)]
    expired = grants[1]  # used three days ago: expired, still listed for the supervisor
    expired.created_at = utcnow() - dt.timedelta(days=3)
    expired.expires_at = expired.created_at + dt.timedelta(hours=1)
    return f"{len(grants)} break-glass uses"


def _merge():
    """A Méri case registered again at Mora (same name, year and phone), then merged."""
    original = next(iter(_cases("MER", 1)), None)
    mora = _user("caseworker.mora")
    supervisor = db.session.scalar(sa.select(User).where(
        User.role == Role.SUPERVISOR, User.region_id == getattr(original, "region_id", None)))
    if original is None or mora is None or mora.site is None or supervisor is None:
        return ""
    duplicate = services.register_person(mora, mora.site, {
        "first_name": original.first_name, "last_name": original.last_name,
        # str(): the code whether the row was read back (an enum) or just written (its code)
        "sex": str(original.sex), "category": str(original.category),
        "birth_year": original.birth_year, "phone": original.phone,
        "languages": list(original.languages or [])})
    merge.merge_people(supervisor, original, duplicate)
    return "1 merged duplicate"


def _import():
    supervisor = _user("supervisor")  # Far North: Mokolo is one of its sites
    worker = _user("caseworker.mokolo")
    if supervisor is None or worker is None or worker.site is None:
        return ""
    table = read_table(IMPORT_CSV.encode(), "kobo-mokolo.csv")
    fields = mapping.suggest(table.headers)
    if not db.session.scalar(sa.select(ImportTemplate.id).where(
            ImportTemplate.name == IMPORT_TEMPLATE)):
        mapping.save_template(supervisor, IMPORT_TEMPLATE, table.headers, fields)
    plan = apply_import(supervisor, worker.site, table, fields, caseworker=worker,
                        filename="kobo-mokolo.csv")
    return f"{len(plan.importable)} imported people"

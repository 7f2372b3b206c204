"""The catalogue's services (administrators): funding sources, programme periods and
assistance types. Flush, never commit; every change audited with codes only. A type is retired,
never deleted; its kit items change only while no entitlement uses it."""
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.assistance.models import (
    AssistanceKind,
    AssistanceType,
    Entitlement,
    FundingSource,
    KitItem,
    ProgrammePeriod,
)
from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.models import Region
from icrs.core.vocab import PersonCategory
from icrs.extensions import db
from icrs.lookups import registry

CODE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_ITEMS = 40


def _admin(actor):
    if not actor.can("admin.assistance"):
        raise AccessDenied(_l("Only an administrator can change the assistance catalogue."))


def _code(model, code, field="code"):
    code = (code or "").strip()
    if not CODE.match(code):
        raise DomainError(_l("Use 2 to 32 lowercase letters, digits and underscores, starting "
                             "with a letter."), field)
    if db.session.scalar(sa.select(model.id).where(model.code == code)) is not None:
        raise DomainError(_l("This code is already used."), field)
    return code


def _required(value, field):
    value = (value or "").strip()
    if not value:
        raise DomainError(_l("This field is required."), field)
    return value


# --- funding sources and periods -----------------------------------------------------------------
def create_funding_source(actor, code, name, donor, project=None) -> FundingSource:
    _admin(actor)
    source = FundingSource(code=_code(FundingSource, code), name=_required(name, "name"),
                           donor=_required(donor, "donor"), project=(project or "").strip() or None)
    db.session.add(source)
    db.session.flush()
    record("assistance.funding_source_created", actor=actor, obj=source, code=source.code)
    return source


def create_period(actor, name, starts_on, ends_on) -> ProgrammePeriod:
    _admin(actor)
    name = _required(name, "name")
    if starts_on is None or ends_on is None:
        raise DomainError(_l("Give both dates."), "starts_on" if starts_on is None else "ends_on")
    if ends_on < starts_on:
        raise DomainError(_l("The period must end after it starts."), "ends_on")
    if db.session.scalar(sa.select(ProgrammePeriod.id).where(ProgrammePeriod.name == name)):
        raise DomainError(_l("This name is already used."), "name")
    overlap = db.session.scalar(sa.select(ProgrammePeriod.id).where(
        ProgrammePeriod.starts_on <= ends_on, ProgrammePeriod.ends_on >= starts_on))
    if overlap is not None:
        raise DomainError(_l("Programme periods cannot overlap."), "starts_on")
    period = ProgrammePeriod(name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(period)
    db.session.flush()
    record("assistance.period_created", actor=actor, obj=period,
           starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return period


def period_on(day):
    return db.session.scalar(sa.select(ProgrammePeriod).where(
        ProgrammePeriod.starts_on <= day, ProgrammePeriod.ends_on >= day))


# --- assistance types ----------------------------------------------------------------------------
def parse_items(text) -> list[tuple[int, str, str]]:
    """Kit items, one a line: "quantity | French name | English name"."""
    items = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not parts[0].isdigit() or not 0 < int(parts[0]) <= 10000 \
                or not parts[1] or not parts[2] or max(len(parts[1]), len(parts[2])) > 120:
            raise DomainError(_l("Line %(n)s: write “quantity | French name | English name”, "
                                 "with a quantity from 1 to 10,000.", n=number), "items")
        items.append((int(parts[0]), parts[1], parts[2]))
    if len(items) > MAX_ITEMS:
        raise DomainError(_l("At most %(n)s items.", n=MAX_ITEMS), "items")
    return items


def _clean(data: dict) -> dict:
    """Check a type's fields (the form's data); returns what the model takes."""
    kind = AssistanceKind(data["kind"])
    currency = (data.get("currency") or "XAF").strip().upper()
    if not CURRENCY.match(currency):
        raise DomainError(_l("Use a three-letter ISO 4217 code, such as XAF."), "currency")
    if not data.get("unit_value") or data["unit_value"] <= 0:
        raise DomainError(_l("Give a whole amount above zero."), "unit_value")
    source = db.session.get(FundingSource, data.get("funding_source_id") or 0)
    if source is None or not source.active:
        raise DomainError(_l("Choose a funding source from the list."), "funding_source_id")
    for name in ("cap_per_person", "cap_per_household", "cap_per_period"):
        if data.get(name) is not None and data[name] <= 0:
            raise DomainError(_l("Leave empty for no cap, or give an amount above zero."), name)
    categories = list(data.get("eligible_categories") or [])
    if set(categories) - {c.value for c in PersonCategory}:
        raise DomainError(_l("Choose categories from the list."), "eligible_categories")
    pathways = list(data.get("eligible_pathways") or [])
    if any(not registry.is_valid("pathway", p, allow_retired=True) for p in pathways):
        raise DomainError(_l("Choose pathways from the list."), "eligible_pathways")
    regions = sorted({int(r) for r in data.get("eligible_regions") or []})
    if regions and len(db.session.scalars(sa.select(Region.id).where(
            Region.id.in_(regions))).all()) != len(regions):
        raise DomainError(_l("Choose regions from the list."), "eligible_regions")
    items = parse_items(data.get("items"))
    if kind == AssistanceKind.KIT and not items:
        raise DomainError(_l("List the kit's items."), "items")
    return {"kind": kind, "currency": currency, "unit_value": data["unit_value"],
            "funding_source_id": source.id, "name_fr": _required(data.get("name_fr"), "name_fr"),
            "name_en": _required(data.get("name_en"), "name_en"),
            "cap_per_person": data.get("cap_per_person"),
            "cap_per_household": data.get("cap_per_household"),
            "cap_per_period": data.get("cap_per_period"), "eligible_categories": categories,
            "eligible_pathways": pathways, "eligible_regions": regions,
            "items": items if kind == AssistanceKind.KIT else []}


def is_used(assistance_type) -> bool:
    return assistance_type.id is not None and db.session.scalar(sa.select(Entitlement.id).where(
        Entitlement.assistance_type_id == assistance_type.id).limit(1)) is not None


def _set_items(assistance_type, items):
    current = [(i.quantity, i.name_fr, i.name_en) for i in assistance_type.items]
    if current == items:
        return
    if is_used(assistance_type):
        raise DomainError(_l("Entitlements use this kit: its items can no longer change. "
                             "Retire it and create a new type."), "items")
    assistance_type.items = [KitItem(quantity=q, name_fr=fr, name_en=en, position=n)
                             for n, (q, fr, en) in enumerate(items, start=1)]


def create_type(actor, code, data: dict) -> AssistanceType:
    _admin(actor)
    clean = _clean(data)
    items = clean.pop("items")
    assistance_type = AssistanceType(code=_code(AssistanceType, code), **clean)
    _set_items(assistance_type, items)
    db.session.add(assistance_type)
    db.session.flush()
    record("assistance.type_created", actor=actor, obj=assistance_type,
           code=assistance_type.code, kind=clean["kind"].value)
    return assistance_type


def update_type(actor, assistance_type, data: dict) -> AssistanceType:
    _admin(actor)
    clean = _clean(data)
    _set_items(assistance_type, clean.pop("items"))
    if is_used(assistance_type) and clean["kind"] != assistance_type.kind:
        raise DomainError(_l("Entitlements use this type: its kind can no longer change."),
                          "kind")
    for name, value in clean.items():
        setattr(assistance_type, name, value)
    db.session.flush()
    record("assistance.type_updated", actor=actor, obj=assistance_type,
           code=assistance_type.code)
    return assistance_type


def set_type_active(actor, assistance_type, active: bool):
    _admin(actor)
    assistance_type.active = bool(active)
    db.session.flush()
    if active:
        record("assistance.type_reactivated", actor=actor, obj=assistance_type,
               code=assistance_type.code)
    else:
        record("assistance.type_retired", actor=actor, obj=assistance_type,
               code=assistance_type.code)


def items_text(assistance_type) -> str:
    return "\n".join(f"{i.quantity} | {i.name_fr} | {i.name_en}" for i in assistance_type.items)

"""Importing a COD table: the plan (what would be created, updated, left unchanged, and the
problems, row by row; nothing written) and its application, all or nothing. Each adm1 area
also makes or updates its Region: found by p-code, else by the reference code of that p-code
(CM004 → EN) when that region has no p-code yet; a new region's code is its reference code,
else the p-code itself (CM011)."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.models import AdminArea, Region, flush_or_conflict
from icrs.extensions import db
from icrs.places.reference import CODE_OF_PCODE
from icrs.places.rules import PERMISSION

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class Step:
    kind: str  # "area" or "region"
    source: object  # the CodArea
    action: str
    target: object = None  # the existing row (update, unchanged)
    code: str = ""  # region code
    fields: list = field(default_factory=list)


@dataclass
class ImportPlan:
    steps: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def of(self, action):
        return [s for s in self.steps if s.action == action]

    def counts(self):
        return {a: len(self.of(a)) for a in (CREATE, UPDATE, UNCHANGED)}

    @property
    def ok(self):
        return not self.errors


def plan_import(cod) -> ImportPlan:
    """Compare the file with the database; reads only."""
    plan = ImportPlan(errors=list(cod.errors))
    if cod.errors:
        return plan
    areas = {a.pcode: a for a in db.session.scalars(sa.select(AdminArea))}
    regions = list(db.session.scalars(sa.select(Region)))
    for source in cod.areas:
        _plan_area(plan, source, areas.get(source.pcode))
        if source.level == 1:
            _plan_region(plan, source, regions)
    return plan


def _plan_area(plan, source, area):
    if area is None:
        plan.steps.append(Step("area", source, CREATE))
        return
    parent = area.parent.pcode if area.parent is not None else None
    if area.level != source.level or parent != source.parent_pcode:
        plan.errors.append((source.row, _l(
            "%(pcode)s is already known at level %(level)s under %(parent)s; the file places "
            "it elsewhere.", pcode=source.pcode, level=area.level, parent=parent or "—")))
        return
    fields = _name_changes(area, source)
    plan.steps.append(Step("area", source, UPDATE if fields else UNCHANGED, area, fields=fields))


def _plan_region(plan, source, regions):
    region = next((r for r in regions if r.pcode == source.pcode), None)
    code = region.code if region else CODE_OF_PCODE.get(source.pcode, source.pcode)
    if region is None:
        region = next((r for r in regions if r.code == code), None)
        if region is not None and region.pcode is not None:
            plan.errors.append((source.row, _l(
                "The region code %(code)s for %(pcode)s is taken by the region %(region)s.",
                code=code, pcode=source.pcode, region=region.label)))
            return
    if region is None:
        if len(code) > 8:
            plan.errors.append((source.row, _l("%(pcode)s is too long to be a region code.",
                                               pcode=source.pcode)))
            return
        plan.steps.append(Step("region", source, CREATE, code=code))
        return
    fields = _name_changes(region, source) + (["pcode"] if region.pcode is None else [])
    plan.steps.append(Step("region", source, UPDATE if fields else UNCHANGED, region,
                           code=code, fields=fields))


def _name_changes(obj, source):
    return [f for f in ("name_fr", "name_en") if getattr(obj, f) != getattr(source, f)]


def apply_import(actor, cod, filename="") -> ImportPlan:
    """Apply the whole file or nothing: any problem refuses it (the caller rolls back)."""
    if actor is not None and not actor.can(PERMISSION):
        raise AccessDenied(_l("Only administrators import administrative areas."))
    plan = plan_import(cod)
    if not plan.ok:
        raise DomainError(_l("The file has %(n)s problem(s): nothing was imported.",
                             n=len(plan.errors)))
    areas = {a.pcode: a for a in db.session.scalars(sa.select(AdminArea))}
    for step in sorted(plan.steps, key=lambda s: (s.kind != "area", s.source.level)):
        _apply(step, areas)
        db.session.flush()  # parents get their id before their children
    flush_or_conflict(_l("Someone changed these places at the same time. Try again."),
                      integrity=True)
    record("places.cod_imported", actor=actor, object_type="admin_area",
           file=filename[:100], levels=list(cod.levels), **plan.counts())
    return plan


def _apply(step, areas):
    source = step.source
    names = {"name_fr": source.name_fr, "name_en": source.name_en}
    if step.action == UNCHANGED:
        return
    if step.kind == "area" and step.action == CREATE:
        parent = areas.get(source.parent_pcode) if source.parent_pcode else None
        areas[source.pcode] = AdminArea(pcode=source.pcode, level=source.level, parent=parent,
                                        active=True, **names)
        db.session.add(areas[source.pcode])
    elif step.kind == "region" and step.action == CREATE:
        db.session.add(Region(code=step.code, pcode=source.pcode, active=True, **names))
    else:
        for key, value in dict(names, pcode=source.pcode).items():
            if key != "pcode" or step.kind == "region":
                setattr(step.target, key, value)

"""The caseload import: the plan (every row's problems and duplicates; nothing written) and its
application, all or nothing, or skipping the rows that cannot be imported. People are created
by the registration service (identity encrypted, blind indexes), in batches of BATCH rows:
one flush and one block of case numbers per batch, all inside the caller's transaction."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, DomainError
from icrs.crypto import preload_keys
from icrs.extensions import db
from icrs.people import services
from icrs.people.imports.rows import identity_keys, read_row

PERMISSION = "people.import"
BATCH = 250
ALL_OR_NOTHING, SKIP_INVALID = "all", "skip"


@dataclass(frozen=True)
class Duplicate:
    row: int | None = None  # an earlier row of the file
    case_number: str | None = None  # a case the importer may see
    elsewhere: bool = False  # a case they may not see: counted, never named

    @property
    def message(self):
        if self.row is not None:
            return _l("Same person as row %(row)s of this file.", row=self.row)
        if self.case_number:
            return _l("Possibly already registered as %(case)s.", case=self.case_number)
        return _l("Possibly already registered at a site you cannot see.")


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)

    @property
    def invalid(self):
        return [r for r in self.rows if not r.valid]

    @property
    def duplicates(self):
        return [r for r in self.rows if r.valid and r.duplicate is not None]

    @property
    def importable(self):
        return [r for r in self.rows if r.ok]

    @property
    def skipped(self):
        return [r for r in self.rows if not r.ok]

    def counts(self):
        return {"rows": len(self.rows), "importable": len(self.importable),
                "invalid": len(self.invalid), "duplicates": len(self.duplicates)}


def can_import_into(actor, site) -> bool:
    """Administrators anywhere in their area; a supervisor into the sites of their region."""
    return actor.can(PERMISSION) and actor.role in (Role.ADMIN, Role.SUPERVISOR) \
        and actor.scope.covers_site(site)


def check_target(actor, site, caseworker=None):
    if not can_import_into(actor, site):
        raise AccessDenied(_l("You may import people only into the sites of your region."))
    services.check_site_open(site)
    if caseworker is not None and (caseworker.role != Role.CASEWORKER or not caseworker.active
                                   or caseworker.site_id != site.id):
        raise DomainError(_l("Choose an active caseworker of the site."), "caseworker_id")


def plan_import(actor, table, fields) -> ImportPlan:
    """Read and check every row, then look for duplicates in the file and in the registry."""
    plan = ImportPlan([read_row(number, cells, fields) for number, cells in table.rows])
    seen = {}
    for row in plan.rows:
        if not row.valid:
            continue
        keys = identity_keys(row)
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            row.duplicate = Duplicate(row=first)
        for key in keys:
            seen.setdefault(key, row.number)
    for row in plan.rows:
        if row.valid and row.duplicate is None:
            row.duplicate = _registry_duplicate(actor, row.data)
    return plan


def _registry_duplicate(actor, data):
    """The registration's duplicate check (icrs.people.services.find_duplicates); a match the
    importer may not see is said to exist, never named."""
    candidates = [getattr(c, "person", c) for c in services.find_duplicates(data)]
    if not candidates:
        return None
    preload_keys(c.id for c in candidates)
    visible = [c for c in candidates if c.can_view(actor)]
    if visible:
        return Duplicate(case_number=visible[0].case_number)
    return Duplicate(elsewhere=True)


def record_preview(actor, site, plan):
    record("people.import_previewed", actor=actor, object_type="site", object_id=site.id,
           **plan.counts())


def apply_import(actor, site, table, fields, mode=ALL_OR_NOTHING, caseworker=None,
                 filename="") -> ImportPlan:
    """Import the file: every row or none (`ALL_OR_NOTHING` refuses a file with any problem),
    or only the rows without problems (`SKIP_INVALID`). Flushes; the caller commits."""
    check_target(actor, site, caseworker)
    plan = plan_import(actor, table, fields)
    if mode == ALL_OR_NOTHING and plan.skipped:
        raise DomainError(_l("%(n)s row(s) have problems: nothing was imported. Correct the "
                             "file, or choose to skip the rows with problems.",
                             n=len(plan.skipped)), "mode")
    rows = plan.importable
    if not rows:
        raise DomainError(_l("No row can be imported."), "mode")
    for start in range(0, len(rows), BATCH):
        _import_batch(actor, site, rows[start:start + BATCH], caseworker)
    record("people.imported", actor=actor, object_type="site", object_id=site.id,
           site=site.code, mode=mode, file_type=filename.rsplit(".", 1)[-1].lower()[:8],
           caseworker=caseworker.id if caseworker else None, **plan.counts())
    return plan


def _import_batch(actor, site, rows, caseworker):
    numbers = services.next_case_numbers(site, len(rows))
    for row, number in zip(rows, numbers, strict=True):
        services.create_person(actor, site, row.data, caseworker=caseworker,
                               case_number=number, registered_at=row.registered_at)
    db.session.flush()

"""`flask icrs places …`: list, add, edit, deactivate and reactivate regions and sites, load the
reference regions, and import an OCHA COD table (`import FILE [--dry-run]`)."""
import sys

import click
from flask.cli import with_appcontext

from icrs.extensions import db


@click.group("places", help="Regions, sites and OCHA administrative areas.")
def places_group():
    pass


def _run(call, *args, **kwargs):
    """Call a service; a refusal becomes a command-line error, nothing committed."""
    from icrs.core.errors import DomainError

    try:
        result = call(*args, **kwargs)
    except DomainError as exc:
        db.session.rollback()
        where = f"{exc.field}: " if exc.field else ""
        raise click.ClickException(f"{where}{exc.message}") from exc
    db.session.commit()
    return result


def _region(code):
    from icrs.places.services import region_by_code
    region = region_by_code((code or "").strip().upper())
    if region is None:
        raise click.ClickException(f"No region has the code {code}.")
    return region


def _site(code):
    from icrs.places.services import site_by_code
    site = site_by_code((code or "").strip().upper())
    if site is None:
        raise click.ClickException(f"No site has the code {code}.")
    return site


@places_group.command("list")
@with_appcontext
def list_command():
    """Print the regions and their sites, with p-codes and status."""
    from icrs.core.models import places
    regions, sites = places()
    for region in regions:
        state = "" if region.active else "  (deactivated)"
        click.echo(f"{region.code:<8} {region.pcode or '-':<12} {region.name_fr}{state}")
        for site in (s for s in sites if s.region_id == region.id):
            state = "" if site.active else "  (deactivated)"
            click.echo(f"  {site.code:<8} {site.pcode or '-':<12} {site.name_fr}{state}")


@places_group.command("reference")
@with_appcontext
def reference_command():
    """Create the ten regions of Cameroon with their p-codes (idempotent)."""
    from icrs.places.reference import load_reference_regions
    click.echo(f"Reference regions: {_run(load_reference_regions)} added or updated.")


@places_group.command("region-add")
@click.argument("code")
@click.option("--name-fr", required=True)
@click.option("--name-en", required=True)
@click.option("--pcode", help="OCHA adm1 p-code, e.g. CM004.")
@with_appcontext
def region_add_command(code, name_fr, name_en, pcode):
    from icrs.places.services import create_region
    region = _run(create_region, None, code, name_fr, name_en, pcode)
    click.echo(f"Region {region.code} added.")


@places_group.command("region-edit")
@click.argument("code")
@click.option("--name-fr")
@click.option("--name-en")
@click.option("--pcode", help="OCHA adm1 p-code; '' to clear it.")
@with_appcontext
def region_edit_command(code, name_fr, name_en, pcode):
    """Change what is given; the code stays."""
    from icrs.places.services import update_region
    region = _region(code)
    changed = _run(update_region, None, region, name_fr or region.name_fr,
                   name_en or region.name_en, region.pcode if pcode is None else pcode)
    click.echo(f"Region {region.code}: {', '.join(changed) or 'nothing'} changed.")


@places_group.command("site-add")
@click.argument("code")
@click.option("--region", "region_code", required=True, help="Code of the region.")
@click.option("--name-fr", required=True)
@click.option("--name-en", required=True)
@click.option("--area", help="P-code of its adm2 or adm3 area, e.g. CM004001.")
@click.option("--lat", type=float)
@click.option("--lon", type=float)
@with_appcontext
def site_add_command(code, region_code, name_fr, name_en, area, lat, lon):
    from icrs.places.services import create_site
    site = _run(create_site, None, code, _region(region_code), name_fr, name_en, area, lat, lon)
    click.echo(f"Site {site.code} added in {site.region.code}.")


@places_group.command("site-edit")
@click.argument("code")
@click.option("--name-fr")
@click.option("--name-en")
@click.option("--area", help="P-code of its adm2 or adm3 area; '' to clear it.")
@click.option("--lat", type=float)
@click.option("--lon", type=float)
@with_appcontext
def site_edit_command(code, name_fr, name_en, area, lat, lon):
    """Change what is given; code and region stay."""
    from icrs.places.services import update_site
    site = _site(code)
    current_area = site.area.pcode if site.area else None
    changed = _run(update_site, None, site, name_fr or site.name_fr, name_en or site.name_en,
                   current_area if area is None else area,
                   site.latitude if lat is None else lat, site.longitude if lon is None else lon)
    click.echo(f"Site {site.code}: {', '.join(changed) or 'nothing'} changed.")


def _toggle_command(name, kind, active):
    @places_group.command(name)
    @click.argument("code")
    @with_appcontext
    def command(code):
        from icrs.places.services import set_active
        place = _region(code) if kind == "region" else _site(code)
        done = _run(set_active, None, place, active)
        state = "active" if active else "deactivated"
        click.echo(f"{kind.capitalize()} {place.code} {'is now' if done else 'was already'} "
                   f"{state}.")
    command.__doc__ = f"{'Reactivate' if active else 'Deactivate'} a {kind} (by code)."
    return command


for _kind in ("region", "site"):
    _toggle_command(f"{_kind}-deactivate", _kind, False)
    _toggle_command(f"{_kind}-reactivate", _kind, True)


@places_group.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@with_appcontext
def import_command(file, dry_run):
    """Import an OCHA COD administrative-boundaries table (CSV, optionally HXL-tagged): areas
    of levels 1-3 and a region per adm1. All or nothing."""
    from icrs.places.cod import read_cod
    from icrs.places.cod_import import apply_import, plan_import

    data, filename = file.read(), getattr(file, "name", "")
    cod = read_cod(data, filename)
    plan = plan_import(cod)
    for row, message in plan.errors:
        click.echo(f"{'row ' + str(row) + ': ' if row else ''}{message}", err=True)
    if not plan.ok:
        click.echo(f"Nothing imported: {len(plan.errors)} problem(s).", err=True)
        sys.exit(1)
    for step in plan.steps:
        if step.action != "unchanged":
            fields = f" ({', '.join(step.fields)})" if step.fields else ""
            click.echo(f"{step.action:<7} {step.kind:<6} {step.source.pcode:<12} "
                       f"{step.source.name_fr}{fields}")
    counts = plan.counts()
    summary = (f"{counts['create']} to create, {counts['update']} to update, "
               f"{counts['unchanged']} unchanged")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run: {summary}. Nothing written.")
        return
    _run(apply_import, None, cod, str(filename).rsplit("/", 1)[-1])
    click.echo(f"Imported: {summary}.")


COMMANDS = [places_group]

"""`flask icrs directory export FILE` / `import FILE [--skip-invalid]` (HSDS 3.0 exchange file,
format described in exporter.py)."""
import json
import sys

import click
from flask.cli import with_appcontext

from icrs.extensions import db


@click.group("directory", help="Service directory: HSDS 3.0 export and import.")
def directory_group():
    pass


@directory_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, allow_dash=True))
@click.option("--lang", type=click.Choice(["en", "fr"]), default="en",
              help="Language of taxonomy term names.")
@with_appcontext
def export_command(file, lang):
    """Write the whole directory as an HSDS 3.0 JSON file ('-' for stdout)."""
    from icrs.directory.exporter import export_directory

    data = export_directory(lang)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    if file == "-":
        click.echo(text)
    else:
        with open(file, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"Exported {len(data['organizations'])} organisations and "
                   f"{len(data['services'])} services to {file}.", err=True)


@directory_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--skip-invalid", is_flag=True,
              help="Import the valid records and leave out the invalid ones.")
@click.option("--taxonomy-map", "taxonomy_map_file", type=click.Path(exists=True, dir_okay=False),
              help="JSON file mapping another directory's taxonomy terms to ICRS service "
                   "categories: {\"default\": code, \"terms\": {term id/code/name: code}}.")
@click.option("--default-category", help="ICRS service category for services that have none "
                                         "(and that the taxonomy map does not place).")
@with_appcontext
def import_command(file, skip_invalid, taxonomy_map_file, default_category):
    """Load an HSDS 3.0 file in one transaction; with any invalid record nothing is imported.
    FILE may also be one service, a list of services or an HSDS API page."""
    from icrs.directory.importer import import_directory
    from icrs.directory.interop import TaxonomyMap, TaxonomyMapError

    try:
        taxonomy_map = TaxonomyMap.from_file(taxonomy_map_file) if taxonomy_map_file \
            else TaxonomyMap()
        if default_category:
            taxonomy_map = TaxonomyMap.from_dict({"terms": taxonomy_map.terms,
                                                  "default": default_category})
    except TaxonomyMapError as exc:
        raise click.ClickException(str(exc)) from exc

    try:
        data = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"not JSON: {exc}") from exc
    result = import_directory(data, skip_invalid=skip_invalid, taxonomy_map=taxonomy_map)
    for path, reason in result.errors:
        click.echo(f"invalid {path}: {reason}", err=True)
    if result.errors and not skip_invalid:
        db.session.rollback()
        click.echo(f"Nothing imported: {len(result.errors)} problem(s). Fix them or use "
                   "--skip-invalid.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Imported {result.organisations} organisations and {result.services} services"
               + (f"; {len(result.errors)} problem(s) skipped." if result.errors else "."))


COMMANDS = [directory_group]

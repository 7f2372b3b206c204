"""`flask icrs erasure …`: the cases past their retention period (ICRS_RETENTION_YEARS)."""
import click
from flask.cli import with_appcontext

from icrs.extensions import db

erasure_cli = click.Group("erasure", help="Erasure of cases (retention rule).")


@erasure_cli.command("candidates")
@click.option("--years", type=int, default=None,
              help="Retention in years (default: ICRS_RETENTION_YEARS).")
@with_appcontext
def candidates_command(years):
    """Cases exited or reintegrated more than N years ago, not erased (no personal data)."""
    from icrs.people import erasure

    people = db.session.scalars(erasure.retention_candidates(years)).all()
    for person in people:
        click.echo(f"{person.case_number}\t{person.stage.value}\t"
                   f"{person.stage_changed_at.date().isoformat()}\t{person.id}")
    click.echo(f"{len(people)} cases past the retention period of "
               f"{years if years is not None else erasure.retention_years()} years. Ask for "
               f"their erasure at /people/erasure/candidates.", err=True)


COMMANDS = [erasure_cli]

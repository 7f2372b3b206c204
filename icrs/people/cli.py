"""`flask icrs erasure …`: the cases past their retention period (ICRS_RETENTION_YEARS);
`flask icrs people reindex-names`: the name keys of every person, rebuilt."""
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


people_cli = click.Group("people", help="People: maintenance of the blind indexes.")
REINDEX_BATCH = 200


@people_cli.command("reindex-names")
@with_appcontext
def reindex_names_command():
    """Rebuild the name keys (tokens, phonetic keys) of every person not erased: after an
    upgrade of the phonetic rules, or for people registered before the keys existed."""
    import sqlalchemy as sa

    from icrs.audit.services import record
    from icrs.crypto import preload_keys
    from icrs.people.models import Person
    from icrs.people.services import index_names

    ids = db.session.scalars(sa.select(Person.id).where(Person.erased_at.is_(None))
                             .order_by(Person.id)).all()
    for start in range(0, len(ids), REINDEX_BATCH):
        batch = ids[start:start + REINDEX_BATCH]
        preload_keys(batch)
        for person in db.session.scalars(sa.select(Person).where(Person.id.in_(batch))):
            index_names(person)
        db.session.commit()
    record("people.names_reindexed", people=len(ids))
    db.session.commit()
    click.echo(f"Name keys rebuilt for {len(ids)} people.")


COMMANDS = [erasure_cli, people_cli]

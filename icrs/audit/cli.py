"""`flask icrs backup DEST`: a consistent copy of the database (never the keys)."""
import os

import click
from flask.cli import with_appcontext

from icrs.audit.backup import BackupError, backup_postgresql, backup_sqlite
from icrs.audit.services import record
from icrs.extensions import db

KEYS_REMINDER = ("The keys are NOT in this backup. Back up the key files (instance/keys/, or "
                 "ICRS_MASTER_KEY, ICRS_BLIND_INDEX_KEY and ICRS_AUDIT_KEY) separately, to "
                 "another place.")


@click.command("backup")
@click.argument("dest", type=click.Path(dir_okay=True, writable=True))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@with_appcontext
def backup_command(dest, force):
    """Write a consistent copy of the database to DEST (a file, or a directory for a
    timestamped file). Exit 1 if it could not be made."""
    url = db.engine.url
    backend = url.get_backend_name()
    record("audit.backup_started", backend=backend, file=os.path.basename(dest.rstrip("/")))
    db.session.commit()  # first, so the backup holds its own audit entry
    try:
        path = _run(url, backend, dest, force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {path} ({os.path.getsize(path)} bytes).")
    click.echo(KEYS_REMINDER)


def _run(url, backend, dest, force):
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("an in-memory database cannot be backed up")
        return backup_sqlite(url.database, dest, force)
    if backend == "postgresql":
        return backup_postgresql(url, dest, force)
    raise BackupError(f"no backup method for the {backend} database")


COMMANDS = [backup_command]

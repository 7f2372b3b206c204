"""`flask icrs init`: take an empty server to a working one — keys, migrations, reference data and
the first administrator — and nothing fictitious. Safe to run again: each step skips what is done.

The administrator's password comes from ICRS_ADMIN_PASSWORD (automation) or a hidden prompt; it is
never an option, so it stays out of the shell history and the process list."""
import os

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from icrs.extensions import db

PASSWORD_ENV = "ICRS_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a password


@click.command("init")
@click.option("--admin", "username", envvar="ICRS_ADMIN_USERNAME",
              help="Username of the first administrator (asked when missing).")
@click.option("--admin-email", envvar="ICRS_ADMIN_EMAIL", default="",
              help="Its e-mail address (for password and security notices).")
@click.option("--admin-name", default="", help="Its full name (default: the username).")
@click.option("--no-keys", is_flag=True, help="Do not create key files (keys come from "
                                              "elsewhere, e.g. restored from a backup).")
@with_appcontext
@click.pass_context
def init_command(ctx, username, admin_email, admin_name, no_keys):
    """First run on an empty database (idempotent): keys, migrations, reference data, first
    administrator. No demo data."""
    if not no_keys:
        from icrs.crypto.cli import init_command as keys_init

        ctx.invoke(keys_init, if_missing=True)
    _migrate()
    _reference_data()
    _first_admin(username, admin_email, admin_name)
    click.echo("ICRS is ready. Sign in as the administrator to add places, organisations and "
               "users (README, Deploy).")


def _migrate():
    from alembic.runtime.migration import MigrationContext
    from flask_migrate import upgrade

    with db.engine.connect() as conn:
        before = MigrationContext.configure(conn).get_current_revision()
    upgrade()
    with db.engine.connect() as conn:
        after = MigrationContext.configure(conn).get_current_revision()
    click.echo(f"Database: at {after}." if before == after
               else f"Database: migrated from {before or 'empty'} to {after}.")


def _reference_data():
    """The reference data migrations do not carry: Cameroon's regions with their p-codes."""
    from icrs.places.reference import load_reference_regions

    changed = load_reference_regions()  # audited there
    db.session.commit()
    click.echo(f"Reference data: {changed} regions added or completed." if changed
               else "Reference data: already present.")


def _first_admin(username, email, full_name):
    from icrs.auth.models import User
    from icrs.auth.roles import Role

    existing = db.session.scalar(sa.select(User.username).where(
        User.role == Role.ADMIN, User.active.is_(True)).limit(1))
    if existing:
        click.echo(f"Administrator: {existing} already exists, none created.")
        return
    username = username or click.prompt("Username of the first administrator")
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        f"Password for {username} (or set {PASSWORD_ENV})", hide_input=True,
        confirmation_prompt=True)
    user = _create_admin(username, email, full_name or username, password)
    click.echo(f"Administrator: {user.username} created.")


def _create_admin(username, email, full_name, password):
    from icrs.auth.services import create_user
    from icrs.core.errors import DomainError

    try:
        user = create_user(None, username, full_name, "admin", password, email=email or None)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    current_app.logger.info("first administrator created")
    return user

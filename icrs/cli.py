"""`flask icrs …` commands: demo data, users, audit verification; domains add their own."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from icrs.extensions import db

icrs_cli = AppGroup("icrs", help="ICRS administration commands.")
audit_cli = AppGroup("audit", help="Audit trail.")
icrs_cli.add_command(audit_cli)


def init_app(app):
    from icrs.crypto.cli import keys_cli

    icrs_cli.add_command(keys_cli)
    for extra in _domain_commands():
        icrs_cli.add_command(extra)
    app.cli.add_command(icrs_cli)


def _domain_commands():
    import importlib

    commands = []
    for name in ("people", "directory", "referrals", "dashboard", "audit"):
        try:
            module = importlib.import_module(f"icrs.{name}.cli")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"icrs.{name}", f"icrs.{name}.cli"):
                raise
            continue
        commands.extend(getattr(module, "COMMANDS", []))
    return commands


@icrs_cli.command("demo")
def demo_command():
    """Load the demo dataset (idempotent: existing demo data is left as it is)."""
    from icrs.demo import load_demo

    summary = load_demo(current_app.config["ICRS_DEMO_PASSWORD"])
    db.session.commit()
    for line in summary:
        click.echo(line)


@icrs_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "supervisor", "caseworker", "provider"]),
              required=True)
@click.option("--full-name", default="")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username, role, full_name, password):
    """Create an account (admins and national supervisors; others through the admin pages)."""
    from icrs.auth.services import create_user
    from icrs.core.errors import DomainError

    try:
        create_user(None, username, full_name or username, role, password)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    click.echo(f"User {username} created.")


@audit_cli.command("verify")
def audit_verify_command():
    """Check the audit hash chain; exit 1 naming the first bad entry."""
    from icrs.audit.services import verify_chain

    result = verify_chain()
    if result.ok:
        click.echo(f"Audit chain intact: {result.checked} entries verified.")
        return
    click.echo(f"Audit chain BROKEN at entry {result.first_bad_seq}: {result.reason} "
               f"({result.checked} entries verified before it).", err=True)
    sys.exit(1)


@icrs_cli.command("demo-logins")
@click.option("--url", default="http://127.0.0.1:5000/")
def demo_logins_command(url):
    """Print where the app is served and the demo logins."""
    from icrs.demo.accounts import demo_logins

    password = current_app.config["ICRS_DEMO_PASSWORD"]
    click.echo(f"\nICRS is starting on {url}\nDemo logins (password: {password}):")
    for username, role, scope in demo_logins():
        click.echo(f"  {username:<22} {role:<12} {scope}")
    click.echo("")

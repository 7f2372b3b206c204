"""`flask icrs …` commands: demo data, users, audit verification; domains add their own."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from icrs.auth.roles import Role
from icrs.extensions import db

icrs_cli = AppGroup("icrs", help="ICRS administration commands.")
audit_cli = AppGroup("audit", help="Audit trail.")
icrs_cli.add_command(audit_cli)


def init_app(app):
    from icrs.crypto.cli import keys_cli
    from icrs.ops.first_run import init_command

    icrs_cli.add_command(keys_cli)
    icrs_cli.add_command(init_command)
    for extra in _domain_commands():
        icrs_cli.add_command(extra)
    app.cli.add_command(icrs_cli)


def _domain_commands():
    """Each domain's `flask icrs` commands, listed explicitly (a broken import fails loudly)."""
    from icrs.assistance import cli as assistance_cli
    from icrs.audit import cli as audit_cli
    from icrs.directory import cli as directory_cli
    from icrs.exchange import sms_cli
    from icrs.people import cli as people_cli
    from icrs.places import cli as places_cli
    from icrs.referrals import cli as referrals_cli

    return [*people_cli.COMMANDS, *directory_cli.COMMANDS, *referrals_cli.COMMANDS,
            *audit_cli.COMMANDS, *places_cli.COMMANDS, *assistance_cli.COMMANDS,
            *sms_cli.COMMANDS]


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
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--full-name", default="")
@click.option("--email", default=None)
@click.option("--site", "site_code", help="Site code (a caseworker needs one), e.g. MER.")
@click.option("--region", "region_code", help="Region code of a supervisor or M&E reader "
              "(none: the whole country), e.g. EN.")
@click.option("--organisation", help="Organisation name or id (a provider needs one).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(username, role, full_name, email, site_code, region_code, organisation,
                        password):
    """Create an account of any role, with its site, region and organisation."""
    from icrs.auth.services import create_user
    from icrs.core.errors import DomainError

    site, region, org = _place_options(site_code, region_code, organisation)
    try:
        create_user(None, username, full_name or username, role, password, email=email,
                    organisation=org, site=site, region=region)
    except DomainError as exc:
        raise click.ClickException(f"{exc.message} (see --help for --site, --region, "
                                   "--organisation)") from exc
    db.session.commit()
    click.echo(f"User {username} created.")


def _place_options(site_code, region_code, organisation):
    """The objects named on the command line; an unknown one stops with its name."""
    import sqlalchemy as sa

    from icrs.core.models import Region, Site
    from icrs.directory.models import Organisation

    def one(model, column, value, what):
        if not value:
            return None
        found = db.session.scalar(sa.select(model).where(column == value))
        if found is None:
            raise click.ClickException(f"Unknown {what}: {value}")
        return found

    site = one(Site, Site.code, (site_code or "").upper(), "site code")
    region = one(Region, Region.code, (region_code or "").upper(), "region code")
    org = None
    if organisation:
        from icrs.core.fields import parse_uuid
        org_id = parse_uuid(organisation)
        org = (db.session.get(Organisation, org_id) if org_id else None) or one(
            Organisation, Organisation.name, organisation, "organisation")
    return site, region, org


@audit_cli.command("verify")
@click.option("--anchors", "anchors_file", type=click.File("r"),
              help="An anchor file written by `audit anchor`: each anchored entry must be there "
                   "with the same MAC.")
def audit_verify_command(anchors_file):
    """Check the audit chain (HMAC under the audit key); exit 1 naming the first bad entry."""
    from icrs.audit.anchors import AnchorError, parse_anchors
    from icrs.audit.services import verify_chain

    try:
        anchors = parse_anchors(anchors_file.read()) if anchors_file else {}
    except AnchorError as exc:
        raise click.ClickException(str(exc)) from exc
    result = verify_chain(anchors=anchors)
    if result.ok:
        against = f"; anchors matched: {len(anchors)}" if anchors else ""
        click.echo(f"Audit chain intact: {result.checked} entries verified{against}.")
        return
    click.echo(f"Audit chain BROKEN at entry {result.first_bad_seq}: {result.reason} "
               f"({result.checked} entries verified before it).", err=True)
    sys.exit(1)


@audit_cli.command("anchor")
@click.option("--file", "path", help="Append to this file (default: ICRS_AUDIT_ANCHOR_FILE).")
@click.option("--mail", is_flag=True, help="Also queue it by e-mail to the administrators.")
def audit_anchor_command(path, mail):
    """Print the chain's head (seq and MAC) and keep it outside the database."""
    from icrs.audit import anchors
    from icrs.audit.services import record

    path = path or current_app.config.get("ICRS_AUDIT_ANCHOR_FILE")
    if not path and not mail:
        raise click.UsageError("Give --file, set ICRS_AUDIT_ANCHOR_FILE, or pass --mail.")
    record("audit.anchored", to_file=bool(path), by_mail=mail)
    seq, mac = anchors.current_head()  # the head now includes the entry just written
    line = anchors.anchor_line(seq, mac)
    if mail:
        click.echo(f"Queued by e-mail to {anchors.mail_anchor(line)} administrators.")
    db.session.commit()
    if path:
        anchors.append_anchor(path, line)
        click.echo(f"Appended to {path}.")
    click.echo(line)


@icrs_cli.command("demo-logins")
@click.option("--url", default="http://127.0.0.1:5000/")
def demo_logins_command(url):
    """Print where the app is served and the demo logins."""
    from icrs.demo.accounts import demo_logins

    password = current_app.config["ICRS_DEMO_PASSWORD"]
    click.echo(f"\nICRS is starting on {url}\nDemo logins (password: {password}):")
    for username, role, scope in demo_logins():
        click.echo(f"  {username:<22} {role:<12} {scope}")
    _demo_partner_token(url)
    click.echo("")


def _demo_partner_token(url):
    """A fresh FHIR partner token for the first demo provider organisation (the last one
    printed is the only one that works)."""
    from icrs.demo.accounts import PROVIDER_ORGS
    from icrs.exchange.fhir_demo import fresh_demo_token

    issued = fresh_demo_token(PROVIDER_ORGS[0][0])
    if issued is None:
        return
    organisation, raw = issued
    click.echo(f"FHIR partner token ({organisation.name}, 30 days):\n  {raw}\n"
               f"  curl -H 'Authorization: Bearer {raw}' {url.rstrip('/')}/fhir/r4/Task")

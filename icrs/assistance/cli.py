"""`flask icrs assistance draw-spot-checks`: the spot-check sample drawn from the command line
(a scheduled job), for one region or everywhere. Prints counts only."""
import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from icrs.extensions import db

assistance_cli = click.Group("assistance", help="Reintegration assistance: verification.")


@assistance_cli.command("draw-spot-checks")
@click.option("--since", "since_days", type=int, default=30, show_default=True,
              help="Handovers recorded in the last DAYS days.")
@click.option("--region", "region_code", default=None, help="Region code (default: all).")
@with_appcontext
def draw_spot_checks_command(since_days, region_code):
    """Draw ICRS_SPOT_CHECK_RATE of the recent handovers (at least one) for a spot-check, each
    assigned to a supervisor of the case's region."""
    from icrs.assistance import verification
    from icrs.auth.scope import Scope
    from icrs.core.errors import DomainError
    from icrs.core.models import Region

    area = None
    if region_code:
        region = db.session.scalar(sa.select(Region).where(Region.code == region_code))
        if region is None:
            raise click.ClickException(f"No region with the code {region_code!r}.")
        area = Scope(region_id=region.id, people=True)
    try:
        made = verification.draw_spot_checks(None, since_days, area=area)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"{len(made)} spot-checks drawn.")


COMMANDS = [assistance_cli]

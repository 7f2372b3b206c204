"""`flask icrs sms test NUMBER`: check the ICRS_SMS_* settings by sending one SMS (not through
the outbox)."""
import click
from flask import current_app

from icrs.exchange.sms import normalise_number
from icrs.exchange.sms_gateways import SmsError, gateway_from_config


@click.group("sms", help="SMS gateway.")
def sms_group():
    pass


@sms_group.command("test")
@click.argument("number")
def sms_test_command(number):
    """Send one test SMS to NUMBER through ICRS_SMS_GATEWAY."""
    to = normalise_number(number)
    if to is None:
        raise click.ClickException("not a phone number: use +237… or 6XXXXXXXX")
    gateway = gateway_from_config(current_app.config)
    try:
        message_id = gateway.send(to, "ICRS: test / essai")
    except SmsError as exc:
        raise click.ClickException(f"cannot send through {gateway.name}: {exc}") from exc
    click.echo(f"Test SMS handed to {gateway.name} (message {message_id}).")


COMMANDS = [sms_group]

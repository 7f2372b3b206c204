"""`flask icrs remind`: the daily digest of overdue referrals per user, then mail delivery.
Idempotent per day, so cron runs it every 15 minutes (an emergency referral has 24 h): each
user's digest goes out at most once a day, queued mail goes out at every run.
`flask icrs mail test ADDRESS`: check the SMTP settings by sending one message."""
import smtplib
import sys

import click
from flask import current_app

from icrs.extensions import db


@click.command("remind")
def remind_command():
    """Notify each user of their overdue referrals (once a day); deliver queued SMS and mail."""
    from icrs.exchange.sms import deliver_sms_outbox
    from icrs.referrals.deadlines import send_reminders
    from icrs.referrals.notifications import deliver_outbox

    with current_app.test_request_context(base_url=current_app.config["ICRS_BASE_URL"]):
        made = send_reminders()
        db.session.commit()
        texts = deliver_sms_outbox()  # failures stay queued: logged, never fatal here
        try:
            sent = deliver_outbox()
        except (smtplib.SMTPException, OSError) as exc:
            db.session.rollback()
            click.echo(f"Reminders: {len(made)} digests; mail delivery failed "
                       f"({type(exc).__name__}: {exc}); it stays queued for the next run.",
                       err=True)
            sys.exit(1)
        db.session.commit()
    click.echo(f"Reminders: {len(made)} digests, {sum(made.values())} overdue referrals and "
               f"follow-ups; {sent} e-mails and {texts} SMS delivered.")


@click.group("mail", help="E-mail delivery.")
def mail_group():
    pass


@mail_group.command("test")
@click.argument("address")
def mail_test_command(address):
    """Send one test message to ADDRESS with the MAIL_* settings (STARTTLS, login)."""
    from icrs.referrals.notifications import send_test_mail

    config = current_app.config
    try:
        send_test_mail(address)
    except (smtplib.SMTPException, OSError) as exc:
        raise click.ClickException(f"cannot send through {config.get('MAIL_SERVER')}:"
                                   f"{config.get('MAIL_PORT')}: {type(exc).__name__}: {exc}"
                                   ) from exc
    tls = "STARTTLS" if config.get("MAIL_USE_TLS") else "no TLS"
    login = "login as " + config["MAIL_USERNAME"] if config.get("MAIL_USERNAME") else "no login"
    click.echo(f"Test message sent to {address} through {config['MAIL_SERVER']}:"
               f"{config.get('MAIL_PORT')} ({tls}, {login}).")


COMMANDS = [remind_command, mail_group]

"""`flask icrs remind`: the daily digest of overdue referrals per user, then mail delivery.
Idempotent per day, so cron may run it often (e.g. every 15 minutes, to deliver mail soon)."""
import click
from flask import current_app

from icrs.extensions import db


@click.command("remind")
def remind_command():
    """Notify each user of their overdue referrals (once a day) and deliver queued mail."""
    from icrs.referrals.deadlines import send_reminders
    from icrs.referrals.notifications import deliver_outbox

    base = current_app.config.get("ICRS_BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context(base_url=base):
        made = send_reminders()
        db.session.commit()
        sent = deliver_outbox()
        db.session.commit()
    click.echo(f"Reminders: {len(made)} digests, {sum(made.values())} overdue referrals; "
               f"{sent} e-mails delivered.")


COMMANDS = [remind_command]

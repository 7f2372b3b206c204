"""In-app notifications and e-mail about referrals. Neither carries personal data: a notification
is a code and a referral id, an e-mail says "a referral needs your attention" and links to it.

Mail is written to the EmailOutbox in the same transaction as the change (so a rolled-back action
sends nothing) and delivered by `deliver_outbox` over SMTP when MAIL_SERVER is set; without it,
it stays in the outbox and is logged. With MAIL_USE_TLS the connection is upgraded with STARTTLS
(certificate and host name verified) before MAIL_USERNAME/MAIL_PASSWORD are sent.
"""
import logging
import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from icrs.auth import signals as auth_signals
from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied
from icrs.core.timeutil import today, utcnow
from icrs.core.urls import absolute_url
from icrs.extensions import db
from icrs.people import signals as people_signals

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (
        sa.Index("ix_notification_user_unread", "user_id", "read_at"),
        sa.UniqueConstraint("user_id", "dedup_key", name="notification_once"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(24), nullable=False)
    referral_id = mapped_column(sa.Uuid, sa.ForeignKey("referral.id"), index=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"))  # a case to check, no data
    count: Mapped[int | None] = mapped_column(sa.Integer)  # digests: how many items
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    read_at = mapped_column(sa.DateTime)
    dedup_key: Mapped[str | None] = mapped_column(sa.String(48))  # e.g. digest:2025-11-22
    user = relationship("User")
    person = relationship("Person")
    referral = relationship("Referral")

    @property
    def details(self):
        """The referral it is about, as its recipient may know it: reference, service (or the
        non-specific label of a protection service) and case number (none for a provider once
        the packet is withheld, or when a survivor code stands in for it). Nothing else."""
        referral = self.referral
        if referral is None:
            return None
        from icrs.referrals import sensitive
        from icrs.referrals.packet import packet_visible

        service = sensitive.service_label(referral, self.user)
        if self.user.role == Role.PROVIDER and (referral.survivor_code is not None
                                                or not packet_visible(referral)):
            return _l("Referral %(ref)s · %(service)s", ref=referral.reference, service=service)
        return _l("Referral %(ref)s · %(service)s · case %(case)s", ref=referral.reference,
                  service=service, case=referral.person.case_number)

    @property
    def message(self):
        if self.kind == "digest":
            return _l("%(n)s referrals are overdue and need your attention.", n=self.count or 0)
        if self.kind == "follow_up_digest":
            return _l("%(n)s follow-ups assigned to you are overdue: plan the visits.",
                      n=self.count or 0)
        if self.kind in CASE_MESSAGES and self.person is not None:
            return CASE_MESSAGES[self.kind](self.person.case_number)
        return MESSAGES.get(self.kind, _l("A referral needs your attention."))


class EmailOutbox(db.Model):
    __tablename__ = "email_outbox"
    __table_args__ = (sa.Index("ix_email_outbox_pending", "sent_at", "attempts"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    to_address: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    sent_at = mapped_column(sa.DateTime)
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(200))


MESSAGES = {
    "received": _l("A new referral arrived for your organisation."),
    "withdrawn": _l("A referral to your organisation was withdrawn."),
    "consent_withdrawn": _l("Consent to share was withdrawn for a referral: its details are "
                            "hidden."),
    "accepted": _l("A referral you made was accepted."),
    "declined": _l("A referral you made was declined."),
    "in_service": _l("A referral you made is now in service."),
    "on_hold": _l("A referral you made was put on hold."),
    "completed": _l("A referral you made is completed: acknowledge the outcome."),
    "not_completed": _l("A referral you made was not completed: acknowledge the outcome."),
    "approval_requested": _l("A request waits for your approval."),
    "login_failures": _l("Several sign-ins to your account failed in a row. If it was not you, "
                         "change your password and tell an administrator."),
    "login_failures_admin": _l("Several sign-ins to a user account failed in a row: see the "
                               "failed sign-ins in the audit log."),
    "possible_duplicate": _l("A caseworker at another site is registering someone who may "
                             "already be registered in your area: check this case."),
    "complaint_received": _l("A complaint waits for your response."),
    "complaint_sensitive": _l("A complaint for the complaints focal point waits for your "
                              "response."),
    "break_glass": _l("Someone opened the restricted sections of a case you are responsible "
                      "for: see who and why."),
}
# approvals (icrs/approvals/notify.py): the case named by its number, nothing else
CASE_MESSAGES = {
    "approval_requested": lambda case: _l("A request about case %(case)s waits for your "
                                          "approval.", case=case),
    "approval_approved": lambda case: _l("Your request about case %(case)s was approved.",
                                         case=case),
    "approval_rejected": lambda case: _l("Your request about case %(case)s was rejected: open "
                                         "the case to read the comment.", case=case),
    # transfers (icrs/transfers/notify.py)
    "transfer_requested": lambda case: _l("Case %(case)s is asked to move to your site: accept "
                                          "or reject the transfer.", case=case),
    "transfer_accepted": lambda case: _l("The transfer of case %(case)s was accepted.",
                                         case=case),
    "transfer_rejected": lambda case: _l("The transfer of case %(case)s was rejected: open the "
                                         "transfer to read why.", case=case),
    "transfer_assigned": lambda case: _l("Case %(case)s was transferred to your site and "
                                         "assigned to you.", case=case),
    "contact_request": lambda case: _l("A caseworker at another site may be registering the "
                                       "person of your case %(case)s and asks you to contact "
                                       "them.", case=case),
}
TRANSFER_KINDS = {"transfer_requested", "transfer_accepted", "transfer_rejected"}
ACCOUNT_KINDS = {"login_failures", "login_failures_admin"}


# --- creating -------------------------------------------------------------------------------------
def notify(users, kind, referral=None, count=None, dedup_key=None, email=True, person=None,
           person_id=None):
    """One notification (and one e-mail) per active user; flushes."""
    made = []
    for user in {u.id: u for u in users if u is not None and u.active}.values():
        note = Notification(user_id=user.id, kind=kind, count=count, dedup_key=dedup_key,
                            referral_id=getattr(referral, "id", None),
                            person_id=getattr(person, "id", person_id))
        db.session.add(note)
        made.append(note)
        if email and user.email:
            queue_email(user, link_for(note, user, external=True), note.kind)
    db.session.flush()
    return made


def organisation_staff(organisation_id):
    return db.session.scalars(sa.select(User).where(
        User.role == Role.PROVIDER, User.organisation_id == organisation_id,
        User.active.is_(True))).all()


def queue_email(user, link, kind=None):
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        if kind in ACCOUNT_KINDS:
            subject = str(_l("ICRS: failed sign-ins"))
            body = str(MESSAGES[kind]) + f"\n{link}\n"
        else:
            subject = str(_l("ICRS: a referral needs your attention"))
            body = str(_l("A referral needs your attention. Sign in to ICRS to see it:")) + \
                f"\n{link}\n"
    mail = EmailOutbox(user_id=user.id, to_address=user.email, subject=subject, body=body)
    db.session.add(mail)
    if not current_app.config.get("MAIL_SERVER"):
        log.info("mail queued (no MAIL_SERVER) for user %s: %s", user.id, subject)
    return mail


def link_for(note, user, external=False):
    """Where a notification leads, for this user's role."""
    if note.kind == "approval_requested":
        return _url("approvals.index", external)
    if note.kind in TRANSFER_KINDS:
        return _url("transfers.index", external)
    if note.kind == "contact_request":
        return _url("transfers.contacts", external)
    if note.kind in ("complaint_received", "complaint_sensitive"):
        return _url("feedback.index", external)
    if note.kind == "login_failures":
        return _url("auth.account", external)
    if note.kind == "follow_up_digest":
        return _url("people.followups", external)
    if note.kind == "login_failures_admin":
        return _url("audit.index", external, action="auth.login_failed")
    if note.kind == "break_glass" and user.can("people.break_glass_review"):
        return _url("dashboard.break_glass", external)
    if note.person_id is not None:
        return _url("people.detail", external, person_id=note.person_id)
    if note.referral_id is not None:
        endpoint = "referrals.received" if user.role == Role.PROVIDER else "referrals.detail"
        return _url(endpoint, external, referral_id=note.referral_id)
    if user.role == Role.PROVIDER:
        return _url("referrals.inbox", external, overdue="y")
    return _url("referrals.overdue", external)


def _url(endpoint, external, **values):
    """E-mail links, and any link outside a request (CLI, demo), are on ICRS_BASE_URL: never on
    the Host header of the request that triggered them."""
    if external or not has_request_context():
        return absolute_url(endpoint, **values)
    return url_for(endpoint, **values)


@auth_signals.repeated_login_failures.connect
def _on_repeated_login_failures(user, **_):
    """Tell the account's owner and the admins, at most once a day per account. Nobody is
    told which account (no personal data in a notification or an e-mail)."""
    key = f"login:{user.id}:{utcnow().date().isoformat()}"
    admins = db.session.scalars(sa.select(User).where(User.role == Role.ADMIN,
                                                      User.active.is_(True))).all()
    for recipient, kind in [(user, "login_failures")] + [(a, "login_failures_admin")
                                                         for a in admins if a.id != user.id]:
        if db.session.scalar(sa.select(Notification.id).where(
                Notification.user_id == recipient.id, Notification.dedup_key == key)) is None:
            notify([recipient], kind, dedup_key=key)


@people_signals.break_glass_used.connect
def _on_break_glass(person, recipients=(), **_):
    """In-app only: the message says a case was opened, never whose or why."""
    notify(recipients, "break_glass", person=person, email=False)


# --- reading --------------------------------------------------------------------------------------
def unread_count(user) -> int:
    """For the navigation badge (base.html)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def user_notifications(user):
    from icrs.referrals.models import Referral

    referral = selectinload(Notification.referral)
    return (sa.select(Notification).where(Notification.user_id == user.id)
            .options(selectinload(Notification.person), selectinload(Notification.user),
                     referral.selectinload(Referral.person),
                     referral.selectinload(Referral.service))
            .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(),
                      Notification.id.desc()))


def unread_about(user, referral=None, person=None):
    """The user's unread notifications whose target is this referral or this case (the page
    offers to mark them read: opening a page never changes anything by itself)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if referral is not None:
        about = Notification.referral_id == referral.id
    elif person is not None:
        about = Notification.person_id == person.id
    else:
        return []
    return db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None), about)
        .order_by(Notification.created_at.desc(), Notification.id.desc())).all()


def mark_read(actor, notification):
    if notification.user_id != actor.id:
        raise AccessDenied(_l("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(actor):
    db.session.execute(sa.update(Notification).where(
        Notification.user_id == actor.id, Notification.read_at.is_(None)).values(read_at=utcnow()))


# --- delivering -----------------------------------------------------------------------------------
def deliver_outbox(limit=200) -> int:
    """Send pending mail over SMTP (commits per message so a crash does not resend). Returns how
    many were sent; 0 without MAIL_SERVER."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return 0
    pending = db.session.scalars(sa.select(EmailOutbox).where(
        EmailOutbox.sent_at.is_(None), EmailOutbox.attempts < MAX_ATTEMPTS)
        .order_by(EmailOutbox.id).limit(limit)).all()
    sent = 0
    if not pending:
        return 0
    with smtp_session(config) as smtp:
        for mail in pending:
            sent += _send_one(smtp, mail, config.get("MAIL_FROM", "icrs@localhost"))
            db.session.commit()
    return sent


@contextmanager
def smtp_session(config):
    """An SMTP connection to MAIL_SERVER: STARTTLS when MAIL_USE_TLS (refused if the server does
    not offer it: credentials never travel in clear), then LOGIN when MAIL_USERNAME is set."""
    with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=20) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context(
                cafile=config.get("MAIL_TLS_CA_FILE") or None))
        if config.get("MAIL_USERNAME"):
            if not config.get("MAIL_USE_TLS"):
                raise smtplib.SMTPException("MAIL_USERNAME is set without MAIL_USE_TLS: refusing "
                                           "to send the password in clear")
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        yield smtp


def send_test_mail(address):
    """`flask icrs mail test`: one message straight to `address` (not through the outbox)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise smtplib.SMTPException("MAIL_SERVER is not set")
    msg = EmailMessage()
    msg["From"], msg["To"] = config.get("MAIL_FROM", "icrs@localhost"), address
    msg["Subject"] = "ICRS: test message"
    msg.set_content("This test message shows that ICRS can send e-mail through "
                    f"{config['MAIL_SERVER']}.\n")
    with smtp_session(config) as smtp:
        smtp.send_message(msg)


def _send_one(smtp, mail, sender):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, mail.to_address, mail.subject
    msg.set_content(mail.body)
    mail.attempts += 1
    try:
        smtp.send_message(msg)
    except smtplib.SMTPException as exc:
        mail.last_error = type(exc).__name__
        log.warning("mail %s to user %s failed: %s", mail.id, mail.user_id, type(exc).__name__)
        return 0
    mail.sent_at = utcnow()
    return 1


@people_signals.possible_duplicate.connect
def _on_possible_duplicate(person, supervisors=(), **_):
    """Tell the case's supervisors, once a day per case, with no personal data."""
    key = f"dup:{person.id.hex[:30]}:{today():%Y%m%d}"
    told = set(db.session.scalars(sa.select(Notification.user_id).where(
        Notification.dedup_key == key)))
    notify([u for u in supervisors if u.id not in told], "possible_duplicate",
           person=person, email=False, dedup_key=key)

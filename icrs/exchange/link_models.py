"""One-time provider links (a referral answered without an account) and the provider answers
that did not come from a provider account (link, SMS, or recorded on the provider's behalf).

Only hashes of the link's token and short code are kept: the link is shown once, when made.
"""
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.enums import LabelledEnum
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.extensions import db


class AnswerChannel(LabelledEnum):
    """How a provider's answer reached ICRS without a provider account."""

    LINK = "link", _l("Provider link")
    SMS = "sms", _l("SMS")
    PHONE = "phone", _l("By phone")
    PAPER = "paper", _l("On paper")
    IN_PERSON = "in_person", _l("In person")


class ReferralLink(db.Model):
    """A link for one referral. It works while the referral is open (sent, accepted, in service,
    on hold), until it expires or is revoked; `step` is the nonce of the next answer."""

    __tablename__ = "referral_link"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    referral_id = mapped_column(sa.Uuid, sa.ForeignKey("referral.id"), nullable=False,
                                index=True)
    # SHA-256 of the 256-bit URL token; HMAC (blind-index key) of the 8-character short code
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), nullable=False)
    created_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    expires_at = mapped_column(sa.DateTime, nullable=False)
    step: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    last_used_at = mapped_column(sa.DateTime)
    used_at = mapped_column(sa.DateTime)  # the answer through it ended the referral
    revoked_at = mapped_column(sa.DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    referral = relationship("Referral")
    created_by = relationship("User", foreign_keys=[created_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])


class ProviderAnswer(db.Model):
    """A provider's move that came through a link, an SMS, or a caseworker recording it on the
    provider's behalf. The name of who answered (a provider's staff member) is encrypted under
    the person's key: it is destroyed with the case and never stored in plain."""

    __tablename__ = "provider_answer"
    __crypto_owner__ = "person_id"
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    referral_id = mapped_column(sa.Uuid, sa.ForeignKey("referral.id"), nullable=False,
                                index=True)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False, index=True)
    at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    action: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    channel: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    link_id = mapped_column(sa.Uuid, sa.ForeignKey("referral_link.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    received_from = encrypted_column(str)

    link = relationship("ReferralLink")
    recorded_by = relationship("User")

    def crypto_owner_id(self):
        return self.person_id

"""Attachment: one document of a case, its content and original file name encrypted under the
person's data key; the associated data binds the ciphertext to the row, the person and the kind.
The content column is deferred: lists never read it."""
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from icrs.core.enums import LabelledEnum, enum_column
from icrs.core.models import new_uuid
from icrs.core.timeutil import utcnow
from icrs.crypto import encrypted_column
from icrs.documents.content import EXTENSIONS
from icrs.extensions import db


class AttachmentKind(LabelledEnum):
    CONSENT_FORM = "consent_form", _l("Scanned consent form")
    DDR_CERTIFICATE = "ddr_certificate", _l("DDR certificate")
    ID_CARD = "id_card", _l("ID card")
    PHOTO = "photo", _l("Photo")
    SIGNED_PLAN = "signed_plan", _l("Signed reintegration plan")
    RESTRICTED = "restricted", _l("Restricted document (health, protection)")
    OTHER = "other", _l("Other document")
    SIGNATURE = "signature", _l("Signature captured on screen")


# Kinds that follow the sensitive sections' need-to-know; the others, the case's readers.
SENSITIVE_KINDS = frozenset({AttachmentKind.RESTRICTED})
# Kinds only another domain stores (a handover's receipt signed on screen): never uploaded.
CAPTURED_KINDS = frozenset({AttachmentKind.SIGNATURE})


class Attachment(db.Model):
    __tablename__ = "attachment"
    __crypto_owner__ = "person_id"
    __crypto_bind__ = ("kind",)  # with the row id and the owner: see icrs.crypto.fields
    __table_args__ = (
        sa.Index("ix_attachment_person_uploaded", "person_id", "uploaded_at"),
        sa.CheckConstraint(f"media_type IN ({', '.join(repr(m) for m in EXTENSIONS)})",
                           name="attachment_media_type"),
        sa.CheckConstraint("size > 0", name="attachment_size_positive"),
    )

    # random: the id in a URL cannot be guessed (and is checked against the person anyway)
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=new_uuid)
    person_id = mapped_column(sa.Uuid, sa.ForeignKey("person.id"), nullable=False)
    kind: Mapped[AttachmentKind] = mapped_column(enum_column(AttachmentKind), nullable=False)
    media_type: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)  # stored bytes
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"),
                                                nullable=False)
    uploaded_at = mapped_column(sa.DateTime, nullable=False, default=utcnow)
    file_name = encrypted_column(str, nullable=False)
    content = encrypted_column(bytes, nullable=False, deferred=True)

    person = relationship("Person")
    uploaded_by = relationship("User")

    @property
    def sensitive(self):
        return self.kind in SENSITIVE_KINDS

    @property
    def is_image(self):
        return self.media_type.startswith("image/")

    @property
    def extension(self):
        return EXTENSIONS.get(self.media_type, "bin")

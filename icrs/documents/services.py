"""Attaching, listing and reading a case's documents (flush, never commit). Who may see a
document is the person's rule for its kind: the case's readers, or need-to-know for the
restricted kind (icrs.people.need_to_know)."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import undefer

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, DomainError
from icrs.core.models import new_uuid
from icrs.crypto import ERASED
from icrs.documents import content
from icrs.documents.models import CAPTURED_KINDS, SENSITIVE_KINDS, Attachment, AttachmentKind
from icrs.extensions import db
from icrs.people import signals as people_signals


def max_bytes() -> int:
    return int(current_app.config["ICRS_ATTACHMENT_MAX_BYTES"])


def can_see(user, person, kind) -> bool:
    if kind in SENSITIVE_KINDS:
        return person.can_view_sensitive(user)
    return person.can_view(user)


def can_attach(user, person) -> bool:
    """The assigned caseworker (who may also attach restricted documents, with need-to-know)."""
    return person.can_edit(user)


def kind_choices(user, person):
    """The kinds one may upload (not those captured by another domain's form)."""
    return [(k.value, k.label) for k in AttachmentKind
            if k not in CAPTURED_KINDS and can_see(user, person, k)]


def attach(actor, person, kind, file_name, data: bytes) -> Attachment:
    """Check the file by its content, re-encode images, store it encrypted; audited."""
    if not can_attach(actor, person):
        raise AccessDenied(_l("Only the assigned caseworker can attach documents."))
    kind = AttachmentKind(kind)
    if not can_see(actor, person, kind):
        raise AccessDenied(_l("You may not attach this kind of document."))
    if not data:
        raise DomainError(_l("The file is empty."), "file")
    if len(data) > max_bytes():
        raise DomainError(_l("The file is larger than %(mb)s MB.",
                             mb=round(max_bytes() / 1024 / 1024, 1)), "file")
    try:
        clean = content.clean(data, current_app.config["ICRS_ATTACHMENT_MAX_PIXELS"])
    except content.Rejected as exc:
        raise DomainError(exc.message, "file") from None
    attachment = Attachment(id=new_uuid(), person_id=person.id, kind=kind,
                            media_type=clean.media_type, size=len(clean.data),
                            uploaded_by_id=actor.id)
    attachment.file_name = content.safe_file_name(file_name) or clean.extension
    attachment.content = clean.data
    db.session.add(attachment)
    db.session.flush()
    record("documents.uploaded", actor=actor, obj=person, attachment=str(attachment.id),
           kind=kind.value, media_type=clean.media_type, bytes=len(clean.data))
    return attachment


def visible_attachments(user, person):
    """The case's documents this user may see, newest first (content not loaded)."""
    rows = db.session.scalars(sa.select(Attachment).where(Attachment.person_id == person.id)
                              .order_by(Attachment.uploaded_at.desc(), Attachment.id)).all()
    return [a for a in rows if can_see(user, person, a.kind)]


def load_attachment(user, person, attachment_id) -> Attachment | None:
    """None (the view answers 404) for an unknown id, another person's document, or one the
    user may not see: nobody learns that a restricted document exists."""
    attachment = db.session.scalars(sa.select(Attachment).options(undefer(Attachment.content_ct))
                                    .where(Attachment.id == attachment_id,
                                           Attachment.person_id == person.id)).first()
    if attachment is None or not can_see(user, person, attachment.kind):
        return None
    return attachment


def read_content(actor, person, attachment, inline=False) -> bytes | None:
    """The plaintext, audited as a view (inline) or a download; None once shredded."""
    data = attachment.content
    if data is ERASED or data is None:
        return None
    record("documents.viewed" if inline else "documents.downloaded", actor=actor, obj=person,
           attachment=str(attachment.id), kind=attachment.kind.value)
    return data


# --- answers to the people domain (icrs.people.signals) -----------------------------------------
@people_signals.person_erasing.connect
def _on_person_erasing(person, **_):
    """The rows go with the person (the data key is shredded right after)."""
    db.session.execute(sa.delete(Attachment).where(Attachment.person_id == person.id))


@people_signals.merge_holdings.connect
def _merge_holdings(merged, **_):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
        Attachment.person_id == merged.id))
    return {_l("Documents"): count}


@people_signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    """The documents follow the case (re-encrypted under the survivor's key at flush)."""
    for attachment in db.session.scalars(sa.select(Attachment).where(
            Attachment.person_id == merged.id)):
        attachment.person_id = survivor.id


@people_signals.case_panels.connect
def _case_panel(person, user=None, **_):
    if user is None:
        return {}
    from icrs.documents.forms import AttachmentForm

    form = AttachmentForm(prefix="doc", formdata=None)
    form.kind.choices = kind_choices(user, person)
    return {"documents": {"rows": visible_attachments(user, person), "form": form,
                          "can_attach": can_attach(user, person),
                          "max_mb": round(max_bytes() / 1024 / 1024, 1)}}

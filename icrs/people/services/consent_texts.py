"""Consent texts: which version of each purpose is in force, and the admin's drafts and
publications (a published version never changes; a new one may ask for re-consent)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import ConflictError, DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people.consent_defaults import DEFAULT_TEXTS
from icrs.people.models import ConsentPurpose, ConsentText

TEXT_MAX = 20000


def current_text(purpose) -> ConsentText | None:
    """The latest published version for the purpose (None before any is published)."""
    return db.session.scalar(sa.select(ConsentText).where(
        ConsentText.purpose == ConsentPurpose(purpose), ConsentText.published_at.is_not(None))
        .order_by(ConsentText.version.desc()).limit(1))


def current_texts() -> dict:
    """{purpose: ConsentText or None} for every purpose, in one query."""
    latest = {}
    for text in db.session.scalars(sa.select(ConsentText).where(
            ConsentText.published_at.is_not(None)).order_by(ConsentText.version)):
        latest[text.purpose] = text
    return {purpose: latest.get(purpose) for purpose in ConsentPurpose}


def default_text(purpose) -> ConsentText:
    """Version 1 as a fresh install has it (not saved): shown until one is published."""
    fr, en = DEFAULT_TEXTS[ConsentPurpose(purpose).value]
    return ConsentText(purpose=ConsentPurpose(purpose), version=1, text_fr=fr, text_en=en,
                       requires_reconsent=False)


def is_default(text) -> bool:
    """The built-in version 1, word for word (what a page shows before any is published)."""
    default = default_text(text.purpose)
    return (text.version, text.text_fr, text.text_en) == (1, default.text_fr, default.text_en)


def text_in_force(purpose, actor) -> ConsentText:
    """The published version consent is recorded under; on a database made without the
    migration's seed (tests, a hand-made schema) version 1 is published from the defaults
    at the first consent, so every consent points at a text."""
    text = current_text(purpose)
    if text is None:
        text = default_text(purpose)
        text.created_by_id, text.published_at = getattr(actor, "id", None), utcnow()
        db.session.add(text)
        db.session.flush()
        record("consent_text.published", actor=actor, obj=text, purpose=text.purpose.value,
               version=text.version, requires_reconsent=False, seeded=True)
    return text


def versions(purpose) -> list:
    return db.session.scalars(sa.select(ConsentText).where(
        ConsentText.purpose == ConsentPurpose(purpose))
        .order_by(ConsentText.version.desc())).all()


def draft_of(purpose) -> ConsentText | None:
    return db.session.scalar(sa.select(ConsentText).where(
        ConsentText.purpose == ConsentPurpose(purpose), ConsentText.published_at.is_(None)))


def _clean(text_fr, text_en):
    text_fr, text_en = (text_fr or "").strip(), (text_en or "").strip()
    if not text_fr:
        raise DomainError(_l("Write the French text."), "text_fr")
    if not text_en:
        raise DomainError(_l("Write the English text."), "text_en")
    return text_fr, text_en


def create_draft(actor, purpose, text_fr, text_en, requires_reconsent) -> ConsentText:
    """The next version of a purpose, as a draft (one draft per purpose at a time)."""
    purpose = ConsentPurpose(purpose)
    text_fr, text_en = _clean(text_fr, text_en)
    if draft_of(purpose) is not None:
        raise DomainError(_l("A draft of this text exists already: edit it or discard it."))
    number = (db.session.scalar(sa.select(sa.func.max(ConsentText.version))
                                .where(ConsentText.purpose == purpose)) or 0) + 1
    text = ConsentText(purpose=purpose, version=number, text_fr=text_fr, text_en=text_en,
                       requires_reconsent=bool(requires_reconsent), created_by_id=actor.id)
    db.session.add(text)
    db.session.flush()
    record("consent_text.drafted", actor=actor, obj=text, purpose=purpose.value,
           version=number, requires_reconsent=text.requires_reconsent)
    return text


def _require_draft(text):
    if text.published:
        raise ConflictError(_l("A published consent text cannot be changed: write a new "
                               "version instead."))


def update_draft(actor, text, text_fr, text_en, requires_reconsent):
    _require_draft(text)
    text.text_fr, text.text_en = _clean(text_fr, text_en)
    text.requires_reconsent = bool(requires_reconsent)
    record("consent_text.draft_updated", actor=actor, obj=text, purpose=text.purpose.value,
           version=text.version, requires_reconsent=text.requires_reconsent)
    db.session.flush()


def publish(actor, text):
    """From now on consent for the purpose is recorded under this version; with
    `requires_reconsent`, consents given under older versions no longer count."""
    _require_draft(text)
    text.published_at = utcnow()
    record("consent_text.published", actor=actor, obj=text, purpose=text.purpose.value,
           version=text.version, requires_reconsent=text.requires_reconsent)
    db.session.flush()


def discard_draft(actor, text):
    _require_draft(text)
    record("consent_text.draft_discarded", actor=actor, obj=text, purpose=text.purpose.value,
           version=text.version)
    db.session.delete(text)
    db.session.flush()


# --- what the consent form showed -------------------------------------------------------------
def texts_to_show() -> dict:
    """{purpose: the version in force, or the unsaved built-in version 1}."""
    return {purpose: text or default_text(purpose)
            for purpose, text in current_texts().items()}


def shown_token(texts: dict) -> str:
    """The form's hidden record of the versions on the page ("registration:3 storage:"), an
    empty id for the built-in text."""
    return " ".join(f"{purpose.value}:{text.id or ''}" for purpose, text in texts.items())


NOT_SHOWN = -1  # no version of this purpose was on the page: never the one in force


def shown_id(token, purpose):
    """The id the page showed for `purpose` (None: the built-in text), NOT_SHOWN if absent."""
    for part in (token or "").split():
        name, _sep, value = part.partition(":")
        if name == ConsentPurpose(purpose).value:
            return int(value) if value.isdigit() else (None if value == "" else NOT_SHOWN)
    return NOT_SHOWN

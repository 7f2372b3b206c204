"""The versions of a questionnaire: upload (validated with pyxform, checked against the current
version by icrs.field.compat, kept as an unpublished draft), publish, and the one in use.

The version in use for a form is its latest published upload, else the file shipped with ICRS.
Uploaded files are read once per SHA-256 (the cache below), not at each request. Each form that
can be uploaded is registered with its store (`register`): which coded questions it can keep."""
import hashlib

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.field import compat, questionnaire
from icrs.field.models import MAX_BYTES, QuestionnaireVersion
from icrs.field.questionnaire import Questionnaire, QuestionnaireError

_STORES = {}      # form_id -> function giving its compat.Store
_BY_SHA = {}      # sha256 -> Questionnaire


class Refused(DomainError):
    """The file cannot become a version: every reason, in `errors`."""

    def __init__(self, errors):
        super().__init__(errors[0])
        self.errors = list(errors)


def register(form_id: str, store):
    """`form_id` (a file icrs/field/forms/<form_id>.xlsx) can be uploaded; `store()` gives its
    compat.Store."""
    _STORES[form_id] = store


def form_ids() -> tuple[str, ...]:
    return tuple(sorted(_STORES))


def baseline(form_id: str) -> Questionnaire:
    return questionnaire.load(form_id)


def parsed(row: QuestionnaireVersion) -> Questionnaire:
    if row.sha256 not in _BY_SHA:
        _BY_SHA[row.sha256] = questionnaire.read(bytes(row.xlsx))
    return _BY_SHA[row.sha256]


def current_row(form_id: str) -> QuestionnaireVersion | None:
    return db.session.scalars(
        sa.select(QuestionnaireVersion)
        .where(QuestionnaireVersion.form_id == form_id, QuestionnaireVersion.published)
        .order_by(QuestionnaireVersion.published_at.desc(), QuestionnaireVersion.id.desc())
        .limit(1)).first()


def current(form_id: str) -> Questionnaire:
    """The questionnaire in use: the latest published upload, else the shipped file."""
    row = current_row(form_id)
    return baseline(form_id) if row is None else parsed(row)


def current_xlsx(form_id: str) -> bytes:
    row = current_row(form_id)
    return questionnaire.path_of(form_id).read_bytes() if row is None else bytes(row.xlsx)


def history(form_id: str) -> list[QuestionnaireVersion]:
    return list(db.session.scalars(
        sa.select(QuestionnaireVersion).where(QuestionnaireVersion.form_id == form_id)
        .order_by(QuestionnaireVersion.uploaded_at.desc(), QuestionnaireVersion.id.desc())))


def get(form_id: str, version_id: int) -> QuestionnaireVersion | None:
    row = db.session.get(QuestionnaireVersion, version_id)
    return row if row is not None and row.form_id == form_id else None


def _read(data: bytes) -> Questionnaire:
    if not data:
        raise Refused([_l("The file is empty.")])
    if len(data) > MAX_BYTES:
        raise Refused([_l("The file is larger than 1 MB.")])
    if not data.startswith(b"PK"):
        raise Refused([_l("This is not an XLSForm: send the .xlsx file.")])
    try:
        return questionnaire.read(data)
    except QuestionnaireError as exc:
        raise Refused([_l("The XLSForm cannot be read: %(reason)s", reason=str(exc))]) from None
    except Exception:  # noqa: BLE001 - an uploaded file: whatever the readers trip on
        raise Refused([_l("The file cannot be read as an .xlsx workbook.")]) from None


def _check(form_id: str, new: Questionnaire):
    store = _STORES[form_id]()
    errors = compat.check(current(form_id), new, store)
    if errors:
        raise Refused(errors)


def upload(actor, form_id: str, data: bytes, filename: str = "") -> QuestionnaireVersion:
    """A checked draft of a new version (replacing any earlier draft of the form), or Refused
    with nothing written."""
    if form_id not in _STORES:
        raise Refused([_l("This questionnaire cannot be uploaded.")])
    new = _read(data)
    _check(form_id, new)
    db.session.execute(sa.delete(QuestionnaireVersion).where(
        QuestionnaireVersion.form_id == form_id, sa.not_(QuestionnaireVersion.published)))
    row = QuestionnaireVersion(form_id=form_id, version=new.version, title=new.title[:200],
                               xlsx=data, sha256=hashlib.sha256(data).hexdigest(),
                               filename=(filename or "")[:200], uploaded_by_id=actor.id,
                               uploaded_at=utcnow(), published=False)
    db.session.add(row)
    db.session.flush()
    record("field.questionnaire_uploaded", actor=actor, obj=row, form=row.title,
           version=new.version, sha256=row.sha256)
    return row


def publish(actor, row: QuestionnaireVersion) -> QuestionnaireVersion:
    """The draft becomes the version in use (checked again: another may have been published)."""
    if row.published:
        raise Refused([_l("This version is already published.")])
    _check(row.form_id, parsed(row))
    row.published, row.published_at, row.published_by_id = True, utcnow(), actor.id
    db.session.flush()
    record("field.questionnaire_published", actor=actor, obj=row, form=row.title,
           version=row.version, sha256=row.sha256)
    return row


def preview(row: QuestionnaireVersion) -> compat.Changes:
    return compat.changes(current(row.form_id), parsed(row))

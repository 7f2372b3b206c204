"""How the person acknowledged a handover: a thumbprint with a witness, the photo of the signed
paper form, or a signature drawn on the screen (a PNG sent by icrs/static/js/signature.js as a
data URL). The photo and the signature are case documents, encrypted under the person's data
key by the documents domain and shredded with it. Everything is checked before anything is
written. Flush, never commit."""
import base64
import binascii
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from icrs.assistance.models import ReceiptMethod
from icrs.core.errors import AccessDenied, DomainError

SIGNATURE_MAX_BYTES = 200 * 1024
DATA_URL_PREFIX = "data:image/png;base64,"
# the longest base64 text of SIGNATURE_MAX_BYTES bytes, checked before decoding anything
MAX_DATA_URL = len(DATA_URL_PREFIX) + 4 * -(-SIGNATURE_MAX_BYTES // 3)
WITNESS_MAX = 120


@dataclass(frozen=True)
class Receipt:
    method: ReceiptMethod
    witness: str | None
    document: tuple | None  # (kind, file name, bytes, form field) to store, or None


def _bad_signature():
    return DomainError(_l("The signature could not be read: clear it and sign again."),
                       "signature")


def decode_signature(raw) -> bytes | None:
    """The PNG bytes of a signature data URL; None when nothing was drawn; DomainError at the
    "signature" field for anything but a PNG of at most SIGNATURE_MAX_BYTES."""
    from icrs.documents import content

    raw = (raw or "").strip()
    if not raw:
        return None
    if len(raw) > MAX_DATA_URL:
        raise DomainError(_l("The signature is too large (at most %(kb)s KB): clear it and "
                             "sign again.", kb=SIGNATURE_MAX_BYTES // 1024), "signature")
    if not raw.startswith(DATA_URL_PREFIX):
        raise _bad_signature()
    try:
        data = base64.b64decode(raw[len(DATA_URL_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise _bad_signature() from None
    try:
        if not data or content.sniff(data) != content.PNG:
            raise _bad_signature()
    except content.Rejected:
        raise _bad_signature() from None
    return data


def check(data: dict, photo=None) -> Receipt:
    """The receipt of `data` (receipt_method, witness_name, signature) and the optional
    `photo` (file name, bytes), or DomainError at its field."""
    from icrs.documents.models import AttachmentKind

    try:
        method = ReceiptMethod(data.get("receipt_method"))
    except ValueError:
        raise DomainError(_l("Say how the person acknowledged receipt."),
                          "receipt_method") from None
    witness = (data.get("witness_name") or "").strip()
    if method == ReceiptMethod.THUMBPRINT and not witness:
        raise DomainError(_l("Give the name of the witness of the thumbprint."), "witness_name")
    if len(witness) > WITNESS_MAX:
        raise DomainError(_l("Keep it under %(n)s characters.", n=WITNESS_MAX), "witness_name")
    if method == ReceiptMethod.PAPER_SIGNATURE and not photo:
        raise DomainError(_l("Attach the photo of the signed form."), "photo")
    document = (AttachmentKind.OTHER, photo[0], photo[1], "photo") if photo else None
    if method == ReceiptMethod.SCREEN_SIGNATURE:
        signature = decode_signature(data.get("signature"))
        if signature is None:
            raise DomainError(_l("Ask the person to sign in the box on the screen."),
                              "signature")
        document = (AttachmentKind.SIGNATURE, "signature.png", signature, "signature")
    return Receipt(method, witness or None, document)


def store(actor, person, receipt: Receipt):
    """The receipt's document (photo or signature) as an encrypted case document: its id, or
    None. A refused file is a DomainError at the receipt's field."""
    from icrs.documents.services import attach

    if receipt.document is None:
        return None
    kind, file_name, data, field = receipt.document
    try:
        return attach(actor, person, kind, file_name, data).id
    except DomainError as exc:
        if isinstance(exc, AccessDenied):
            raise
        raise DomainError(exc.message, field) from None

"""What an uploaded file really is, judged by its bytes (never its name or declared type), and
its clean stored form: PDF as sent, JPEG and PNG decoded and re-encoded (downscaled, metadata
gone). Pure Python and Pillow: no Flask, no database."""
import io
import re
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
MAX_PIXELS = 40_000_000  # a 5 MB image that would unpack beyond this is a decompression bomb
# Markup or script a browser could run if it ever sniffed the file as a page.
ACTIVE_MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed|meta|!doctype)"
                           rb"|<\?php|javascript:", re.IGNORECASE)
# PDF features that run code or carry other files; "#xx" escapes hide names from this check.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b"
                        rb"|/[A-Za-z]*#[0-9A-Fa-f]{2}")


class Rejected(ValueError):
    """The file is refused; `message` is translatable."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CleanFile:
    media_type: str
    data: bytes

    @property
    def extension(self):
        return EXTENSIONS[self.media_type]


def sniff(data: bytes) -> str:
    for magic, media_type in MAGIC:
        if data.startswith(magic):
            return media_type
    raise Rejected(_l("Only PDF, JPEG or PNG files can be attached."))


def clean(data: bytes, max_side: int) -> CleanFile:
    """The stored form of `data`, or Rejected: unknown type, polyglot, unreadable image."""
    media_type = sniff(data)
    if ACTIVE_MARKUP.search(data):
        raise Rejected(_l("The file contains web page or script content: it cannot be "
                          "attached."))
    if media_type == PDF:
        return CleanFile(PDF, _check_pdf(data))
    if b"%PDF-" in data:
        raise Rejected(_l("The file is an image and a PDF at once: it cannot be attached."))
    return CleanFile(media_type, _reencode(data, media_type, max_side))


def _check_pdf(data: bytes) -> bytes:
    if not data.rstrip(b"\r\n\t \x00").endswith(b"%%EOF"):
        raise Rejected(_l("The PDF is incomplete or damaged."))
    if PDF_ACTIVE.search(data):
        raise Rejected(_l("The PDF contains scripts or embedded files: print it to a plain "
                          "PDF or scan it, then attach that."))
    return data


def _open(data: bytes, media_type: str) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != PIL_FORMATS[media_type]:
                    raise Rejected(_l("The image is not what its content claims to be."))
                if probe.width * probe.height > MAX_PIXELS:
                    raise Rejected(_l("The image has too many pixels."))
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except Rejected:
            raise
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
                Image.DecompressionBombError):
            raise Rejected(_l("The image cannot be read: it is damaged or not an image.")) \
                from None
    return image


def _reencode(data: bytes, media_type: str, max_side: int) -> bytes:
    """Decode, turn upright, shrink to `max_side`, and write a fresh file: EXIF (GPS, camera),
    comments and anything appended after the image are left behind."""
    image = ImageOps.exif_transpose(_open(data, media_type))
    image.thumbnail((max_side, max_side))
    if media_type == JPEG and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif media_type == PNG and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.info = {}
    out = io.BytesIO()
    if media_type == JPEG:
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def safe_file_name(name) -> str:
    """The original file name, kept (encrypted) for the list: no path, no control characters."""
    name = re.split(r"[\\/]", str(name or ""))[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:120]

"""A COD file between its preview and its application: kept in instance/cod-imports under its
SHA-256 (public boundary data, no personal data; icrs.core.uploads), so the apply step needs no
second upload and applies exactly the file that was previewed. Files older than a day are
removed."""
from icrs.core.uploads import TOKEN as DIGEST  # noqa: F401 - the form checks the same shape
from icrs.core.uploads import UploadStore

MAX_AGE = 24 * 3600
_store = UploadStore("cod-imports", MAX_AGE)


def stash(data: bytes) -> str:
    return _store.stash(data)


def load(digest: str) -> bytes | None:
    """The stashed file, or None (unknown, expired, or altered since)."""
    return _store.load(digest)


def discard(digest: str):
    _store.discard(digest)

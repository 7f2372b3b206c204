"""A COD file between its preview and its application: kept in instance/cod-imports under its
SHA-256 (public boundary data, no personal data), so the apply step needs no second upload and
applies exactly the file that was previewed. Files older than a day are removed."""
import hashlib
import os
import re
import time

from flask import current_app

DIGEST = re.compile(r"^[0-9a-f]{64}$")
MAX_AGE = 24 * 3600


def _folder():
    path = os.path.join(current_app.instance_path, "cod-imports")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def stash(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    folder = _folder()
    _sweep(folder)
    path = os.path.join(folder, digest)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return digest


def load(digest: str) -> bytes | None:
    """The stashed file, or None (unknown, expired, or altered since)."""
    if not DIGEST.match(digest or ""):
        return None
    path = os.path.join(_folder(), digest)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None


def discard(digest: str):
    if DIGEST.match(digest or ""):
        try:
            os.remove(os.path.join(_folder(), digest))
        except OSError:
            pass


def _sweep(folder):
    limit = time.time() - MAX_AGE
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        try:
            if os.path.getmtime(path) < limit:
                os.remove(path)
        except OSError:
            continue

"""The personal-data export as a file that is never plaintext: an AES-256 ZIP (pyzipper, WinZip
AES) under a one-time random password shown once to the exporter, kept encrypted on the server
until its single download (a POST with a one-time token), at most TTL_MINUTES."""
import hashlib
import io
import os
import secrets
import time

import pyzipper
from flask import current_app

TTL_MINUTES = 15


def encrypted_zip(name, data: bytes):
    """(zip bytes, password): `data` as one file `name` in an AES-256 encrypted ZIP."""
    password = secrets.token_urlsafe(15)  # 20 characters, 120 bits
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(name, data)
    return buffer.getvalue(), password


def _folder():
    path = os.path.join(current_app.instance_path, "exports")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _path(user_id, token):
    digest = hashlib.sha256(token.encode()).hexdigest()  # the token itself is never on disk
    return os.path.join(_folder(), f"{int(user_id)}-{digest}.zip")


def stash(user_id, body: bytes) -> str:
    """Keep the encrypted file for one download by this user; returns the one-time token."""
    _sweep()
    token = secrets.token_urlsafe(32)
    fd = os.open(_path(user_id, token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(body)
    return token


def take(user_id, token) -> bytes | None:
    """The file for this user and token, removed as it is read; None if unknown or used."""
    _sweep()
    if not token or len(token) > 100:
        return None
    path = _path(user_id, token)
    try:
        with open(path, "rb") as fh:
            body = fh.read()
    except FileNotFoundError:
        return None
    os.unlink(path)
    return body


def _sweep():
    """Files never downloaded go after TTL_MINUTES."""
    limit = time.time() - TTL_MINUTES * 60
    folder = _folder()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.endswith(".zip") and os.path.getmtime(path) < limit:
            os.unlink(path)

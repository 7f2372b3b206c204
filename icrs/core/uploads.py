"""Uploaded files waiting between a preview and its application, in instance/<folder>, so the
apply step needs no second upload and applies exactly what was previewed. Files older than
`max_age` are swept on each stash.

A plain store (public data such as COD tables) names a file by its SHA-256. A sealed store
(personal data: the caseload import) never writes the file in clear: it is sealed with a key
derived from the keyring (AES-GCM, icrs.crypto.seal_system), bound to the store, a random token
and the uploading user, so a token alone opens nothing for anyone else."""
import hashlib
import os
import re
import secrets
import time

from flask import current_app

TOKEN = re.compile(r"^[0-9a-f]{64}$")


class UploadStore:
    def __init__(self, folder: str, max_age: int = 24 * 3600, sealed: bool = False):
        self.name, self.max_age, self.sealed = folder, max_age, sealed

    def _folder(self):
        path = os.path.join(current_app.instance_path, self.name)
        os.makedirs(path, mode=0o700, exist_ok=True)
        return path

    def _aad(self, token, owner):
        return f"upload.{self.name}.{token}.{owner}"

    def stash(self, data: bytes, owner="") -> str:
        """Keep `data`; returns the token that finds it again (with the same `owner`)."""
        folder = self._folder()
        self._sweep(folder)
        if self.sealed:
            from icrs.crypto import seal_system
            token = secrets.token_hex(32)
            data = seal_system(data, self._aad(token, owner))
        else:
            token = hashlib.sha256(data).hexdigest()
        fd = os.open(os.path.join(folder, token), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return token

    def load(self, token: str, owner="") -> bytes | None:
        """The stashed file, or None (unknown, expired, altered, or someone else's)."""
        if not TOKEN.match(token or ""):
            return None
        path = os.path.join(self._folder(), token)
        try:
            if os.path.getmtime(path) < time.time() - self.max_age:
                return None
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        if self.sealed:
            from icrs.crypto import DecryptionError, open_system
            try:
                return open_system(data, self._aad(token, owner))
            except DecryptionError:
                return None
        return data if hashlib.sha256(data).hexdigest() == token else None

    def discard(self, token: str):
        if TOKEN.match(token or ""):
            try:
                os.remove(os.path.join(self._folder(), token))
            except OSError:
                pass

    def _sweep(self, folder):
        limit = time.time() - self.max_age
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            try:
                if os.path.getmtime(path) < limit:
                    os.remove(path)
            except OSError:
                continue

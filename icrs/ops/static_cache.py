"""Versioned static files: url_for('static', …) adds `?v=<content hash>`, and a request whose
`v` matches the file's current hash is cacheable for a year (`immutable`); a changed file gets a
new URL. Unversioned or stale requests keep the default (revalidate)."""
import hashlib
import os

from flask import current_app, request

YEAR = 31536000
_hashes = {}  # path -> (mtime_ns, size, hash)


def init_app(app):
    app.url_defaults(_add_version)
    app.after_request(_cache_headers)


def file_version(filename):
    folder = current_app.static_folder
    path = os.path.realpath(os.path.join(folder, filename))
    if not path.startswith(os.path.realpath(folder) + os.sep):
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    cached = _hashes.get(path)
    if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()[:12]
    _hashes[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def _add_version(endpoint, values):
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = file_version(values["filename"])
        if version:
            values["v"] = version


def _cache_headers(response):
    if request.endpoint != "static" or response.status_code != 200:
        return response
    sent = request.args.get("v")
    if sent and sent == file_version(request.view_args.get("filename", "")):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response

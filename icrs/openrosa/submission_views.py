"""The OpenRosa Form Submission API: `HEAD` and multipart `POST /submission` under the device's
server URL."""
from flask import Blueprint

from icrs.openrosa.auth import URL_PREFIX

bp = Blueprint("openrosa_submission", __name__, url_prefix=URL_PREFIX)
BLUEPRINTS = [bp]

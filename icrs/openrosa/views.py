"""The OpenRosa Form List API for ODK Collect / KoBoCollect: the form list, each form's XForm,
its manifest and media files, under the device's server URL."""
from flask import Blueprint

from icrs.openrosa.auth import URL_PREFIX

bp = Blueprint("openrosa", __name__, url_prefix=URL_PREFIX)
BLUEPRINTS = [bp]

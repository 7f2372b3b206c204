"""The places blueprint: administration pages under /admin/places."""
from flask import Blueprint

from icrs.places.rules import PERMISSION  # noqa: F401 - the views' permission

bp = Blueprint("places", __name__, url_prefix="/admin/places")

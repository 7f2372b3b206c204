"""The places blueprint: administration pages under /admin/places."""
from flask import Blueprint

bp = Blueprint("places", __name__, url_prefix="/admin/places")
PERMISSION = "admin.places"

"""The directory's blueprints: pages under /directory, the HSDS API under /hsds."""
from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/directory")
hsds_bp = Blueprint("hsds", __name__, url_prefix="/hsds")

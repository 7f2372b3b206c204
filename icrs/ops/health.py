"""`/healthz` for load balancers and `/metrics` for Prometheus. Both are public (no login, no
session): /healthz says only which checks pass; /metrics answers loopback or the bearer token."""
import hmac

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, jsonify, request

from icrs.auth.access import public
from icrs.extensions import db

bp = Blueprint("ops", __name__)


def _database():
    db.session.execute(sa.text("SELECT 1"))
    return True


def _keys():
    ring = current_app.extensions["icrs_crypto"].keyring
    return bool(ring.current_kek and ring.blind_secret)


def _migrations():
    """The database's Alembic revision is the code's head (one head: the chain is linear)."""
    from alembic.runtime.migration import MigrationContext

    heads = current_app.extensions["icrs_ops"]["migration_heads"]
    current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    return bool(heads) and current == heads


CHECKS = {"database": _database, "keys": _keys, "migrations": _migrations}


def migration_heads(app):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    directory = app.extensions["migrate"].directory
    config = Config()
    config.set_main_option("script_location", directory)
    return set(ScriptDirectory.from_config(config).get_heads())


@bp.route("/healthz", endpoint="healthz")
@public
def healthz():
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failing"
        except Exception:  # noqa: BLE001 - any failure is a failed check, never a 500
            db.session.rollback()
            results[name] = "failing"
    healthy = all(v == "ok" for v in results.values())
    response = jsonify({"status": "ok" if healthy else "failing", "checks": results})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def _metrics_allowed():
    token = current_app.config.get("ICRS_METRICS_TOKEN")
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(),
                                                                    token.encode()):
        return True
    # Loopback only when no proxy relayed the request: behind nginx every client is "127.0.0.1".
    relayed = request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded")
    return not relayed and request.remote_addr in ("127.0.0.1", "::1")


@bp.route("/metrics", endpoint="metrics")
@public
def metrics_view():
    from icrs.ops.metrics import exposition

    if not _metrics_allowed():
        abort(403)
    body, content_type = exposition()
    return current_app.response_class(body, content_type=content_type,
                                      headers={"Cache-Control": "no-store"})

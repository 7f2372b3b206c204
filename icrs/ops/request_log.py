"""Structured logs: one JSON object per line (time, level, logger, message, request id, user id,
endpoint, status, duration). The request line names the endpoint, never the path or the query
string, and no form value is ever logged: a search can carry a phone or ID number.

X-Request-ID comes from the proxy when it looks like an id (letters, digits, `.`, `_`, `-`, `:`,
up to 128), else one is made; it is echoed in the response so a user's report can be traced."""
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context, request

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
log = logging.getLogger("icrs.request")


def init_app(app):
    app.before_request(_assign_request_id)
    app.after_request(_finish)
    if app.config.get("ICRS_JSON_LOGS", not (app.testing or app.debug)):
        from flask.logging import default_handler

        install_json_handler()
        app.logger.removeHandler(default_handler)  # the root's JSON handler prints its lines


def _assign_request_id():
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = sent if REQUEST_ID_RE.match(sent) else uuid.uuid4().hex
    g.request_log_started = time.perf_counter()


def request_id():
    return g.get("request_id") if has_request_context() else None


def _finish(response):
    if g.get("request_id") is None:  # an earlier before_request answered first
        _assign_request_id()
    response.headers["X-Request-ID"] = g.request_id
    started = g.get("request_log_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    log.info("request", extra={"http_method": request.method,
                               "endpoint": request.endpoint or "unmatched",
                               "status": response.status_code, "duration_ms": duration})
    return response


def _user_id():
    """The signed-in user's id, if already loaded for this request (never loads it here)."""
    user = g.get("_login_user") if has_request_context() else None
    return getattr(user, "id", None)


class JsonFormatter(logging.Formatter):
    FIELDS = ("http_method", "endpoint", "status", "duration_ms")

    def format(self, record):
        out = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(
                   timespec="milliseconds").replace("+00:00", "Z"),
               "level": record.levelname, "logger": record.name,
               "message": record.getMessage(), "request_id": request_id(),
               "user_id": _user_id()}
        out.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def install_json_handler(stream=None):
    """One JSON-lines handler on the root logger (once per process, whatever create_app calls)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler.formatter, JsonFormatter):
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return handler

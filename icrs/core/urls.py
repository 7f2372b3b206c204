"""Absolute URLs (e-mail links) from the configured ICRS_BASE_URL, never from the request's Host
header, and the refusal of requests for any host that is not configured (Flask's TRUSTED_HOSTS).
"""
from urllib.parse import urlsplit

from flask import Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError

DEBUG_BASE_URL = "http://127.0.0.1:5000/"  # debug and tests without a setting: the dev server


def init_app(app):
    """Check ICRS_BASE_URL (required outside debug and testing), derive TRUSTED_HOSTS from it
    and ICRS_TRUSTED_HOSTS, and refuse requests for other hosts before anything else runs."""
    if not app.config.get("ICRS_BASE_URL") and (app.debug or app.testing):
        app.config["ICRS_BASE_URL"] = DEBUG_BASE_URL
    base = _parse_base_url(app.config.get("ICRS_BASE_URL"), app.instance_path)
    hosts = [base.hostname] + [h.strip().lower() for h in
                               (app.config.get("ICRS_TRUSTED_HOSTS") or "").split(",") if h.strip()]
    if app.debug or app.testing:
        hosts.append("localhost")  # the test client's default host
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts))
    app.before_request(refuse_untrusted_host)


def _parse_base_url(value, instance_path):
    from icrs import ConfigurationError

    parts = urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ConfigurationError(
            "ICRS refuses to start without ICRS_BASE_URL, the address users reach ICRS at, "
            "e.g. https://icrs.example.org/ (e-mail links are built from it, and requests for "
            f"other hosts are refused). Set it in {instance_path}/config.py or the "
            f"ICRS_BASE_URL environment variable; got {value!r}.")
    return parts


def refuse_untrusted_host():
    """before_request, first: a Host that is not configured gets a plain 400 (Flask leaves the
    request without a URL adapter, so the usual error page could not be built)."""
    if isinstance(request.routing_exception, SecurityError):
        text = _("ICRS is not served at this address. Use %(url)s",
                 url=current_app.config["ICRS_BASE_URL"])
        return Response(text + "\n", 400, mimetype="text/plain")
    return None


def absolute_url(endpoint, **values):
    """The URL of an endpoint under ICRS_BASE_URL, inside or outside a request (CLI mail)."""
    app = current_app
    base = urlsplit(app.config["ICRS_BASE_URL"])
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/",
                               url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)

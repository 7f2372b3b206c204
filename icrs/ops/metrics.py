"""Prometheus metrics: requests by endpoint name, method and status, and their durations. Labels
are endpoint names (`people.detail`), never paths, so no id or query value becomes a label.
Under gunicorn set PROMETHEUS_MULTIPROC_DIR (an empty directory) so /metrics adds up every
worker; otherwise each process counts its own requests."""
import os
import time

from flask import g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

REGISTRY = CollectorRegistry()
REQUESTS = Counter("icrs_http_requests", "HTTP requests answered",
                   ("endpoint", "method", "status"), registry=REGISTRY)
DURATION = Histogram("icrs_http_request_duration_seconds", "Time to answer a request",
                     ("endpoint", "method"), registry=REGISTRY,
                     buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def init_app(app):
    app.before_request(_start)
    app.after_request(_count)


def _start():
    g.ops_started = time.perf_counter()


def endpoint_label():
    return request.endpoint or "unmatched"


def _count(response):
    started = g.get("ops_started")
    if started is None:
        return response
    method = request.method if request.method in METHODS else "OTHER"
    REQUESTS.labels(endpoint_label(), method, str(response.status_code)).inc()
    DURATION.labels(endpoint_label(), method).observe(time.perf_counter() - started)
    return response


def exposition():
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry), CONTENT_TYPE_LATEST

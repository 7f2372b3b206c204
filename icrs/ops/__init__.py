"""Operations: health check, Prometheus metrics, structured request logs with request ids,
compression and long-lived caching of versioned static files. Nothing here reads personal data."""


def init_app(app):
    from flask_compress import Compress

    from icrs.ops import health, metrics, request_log, static_cache

    request_log.init_app(app)
    metrics.init_app(app)
    static_cache.init_app(app)
    # Static files are sent streamed; gzip is what every client (and old Android browsers in
    # the field) accepts, so allow it for streams too (the library's default leaves it out).
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["zstd", "br", "gzip", "deflate"])
    Compress(app)
    app.register_blueprint(health.bp)
    app.extensions["icrs_ops"] = {"migration_heads": health.migration_heads(app)}

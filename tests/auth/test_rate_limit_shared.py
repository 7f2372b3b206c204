"""With REDIS_URL set, several app servers share the login rate limit (one counter per IP)."""
import socket
import uuid

import pytest

from icrs import create_app
from icrs.config import TestingConfig, apply_environment


def _redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_two_app_servers_share_the_login_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    prefix = f"icrs-test-{uuid.uuid4().hex}"

    def server():
        class Cfg(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/shared.sqlite"
            ICRS_LOGIN_RATE_LIMIT = "3 per minute"
            RATELIMIT_KEY_PREFIX = prefix

        app = create_app(Cfg)
        apply_environment(app.config)
        assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
        from icrs.extensions import db, limiter
        limiter.init_app(app)
        with app.app_context():
            db.create_all()
        return app.test_client()

    first, second = server(), server()
    codes = [c.post("/login", data={"username": "x", "password": "y"}).status_code
             for c in (first, second, first, second)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429
    import redis
    keys = redis.Redis.from_url("redis://127.0.0.1:6379/15").keys(f"*{prefix}*")
    assert keys, "the counter must live in Redis, where every app server sees it"

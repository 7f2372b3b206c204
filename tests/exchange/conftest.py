"""The referral world (tests/referrals/conftest.py), and a fresh rate-limit count per test."""
import pytest

from tests.referrals.conftest import english, person, sent, switch_to, world  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_limits(app):
    from icrs.extensions import limiter

    limiter.reset()
    yield
    limiter.reset()

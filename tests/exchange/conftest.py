"""The referral world (tests/referrals/conftest.py) for the exchange tests."""
from tests.referrals.conftest import english, person, sent, switch_to, world  # noqa: F401

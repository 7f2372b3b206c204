"""Signals the auth domain sends; higher domains answer (notifications live in referrals)."""
from blinker import Namespace

_signals = Namespace()
# sender: the User whose sign-in failed ICRS_LOCKOUT_THRESHOLD times in a row
repeated_login_failures = _signals.signal("repeated-login-failures")

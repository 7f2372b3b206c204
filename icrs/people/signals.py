"""Signals other domains listen to (referrals hide packets when consent is withdrawn)."""
from blinker import Namespace

_signals = Namespace()
consent_withdrawn = _signals.signal("consent-withdrawn")
stage_changed = _signals.signal("stage-changed")

"""Signals other domains listen to (referrals hide packets when consent is withdrawn; referrals
and profiling drop what they hold when a person is being erased)."""
from blinker import Namespace

_signals = Namespace()
consent_withdrawn = _signals.signal("consent-withdrawn")
stage_changed = _signals.signal("stage-changed")
person_erasing = _signals.signal("person-erasing")  # sender: the person; actor=

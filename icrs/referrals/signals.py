"""The referrals domain's questions to the domains above it (icrs.core.signals).

Asked (sender = the referral):
- referral_panels(user, forms): each answers {"template": ..., **context} of a panel on the
  referral page (icrs.exchange: the slip, the provider links, answers recorded on behalf), or
  None; `forms` are the forms a refused POST gives back with their errors.
"""
from blinker import Namespace

_signals = Namespace()
referral_panels = _signals.signal("referral-panels")

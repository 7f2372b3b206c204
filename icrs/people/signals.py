"""The people domain's signals: what it tells the domains above it, and what it asks them.

Told (sender = the person):
- consent_withdrawn(consent, actor): referrals hide the packets no longer covered.
- stage_changed(old, new, actor).
- person_erasing(actor): referrals and profiling drop what they hold when a person is erased.
- person_merging(survivor, actor): sender = the merged case; referrals and profiling move what
  they hold of it to the survivor (icrs.people.merge), in the same transaction.
- break_glass_used(actor, recipients): someone opened the sensitive sections; the recipients
  (assigned caseworker, the area's supervisors) are told in-app.

Asked (sender = the person; see icrs.core.signals for collecting the answers):
- stage_facts(): each answers a dict of `people.states.Facts` fields it knows
  (profiling: profile_complete; referrals: referrals_sent / _accepted / _open).
- case_panels(user): each answers {panel name: context} for the case page
  (profiling: "profile"; referrals: "referrals").
- merge_holdings(): each answers {label: count} of the rows it would move in a merge.
- merge_conflicts(survivor): sender = the merged case; each answers a translated reason why
  the two cases cannot be merged (households: two different current households), or None.
- baseline_answers(): profiling answers {"version_id", "answers": {section: answers}} of the
  person's first profile version (the sustainability baseline), or None.
- timeline_events(): each answers an iterable of (at, kind, title, detail, actor) with no
  personal values.
"""
from blinker import Namespace

_signals = Namespace()
consent_withdrawn = _signals.signal("consent-withdrawn")
stage_changed = _signals.signal("stage-changed")
stage_facts = _signals.signal("stage-facts")
case_panels = _signals.signal("case-panels")
timeline_events = _signals.signal("timeline-events")
baseline_answers = _signals.signal("baseline-answers")
person_erasing = _signals.signal("person-erasing")
person_merging = _signals.signal("person-merging")
merge_holdings = _signals.signal("merge-holdings")
merge_conflicts = _signals.signal("merge-conflicts")
break_glass_used = _signals.signal("break-glass-used")
# sender: a person out of the registering user's scope who may be a duplicate; supervisors=
possible_duplicate = _signals.signal("possible-duplicate")  # sender: the person; actor=

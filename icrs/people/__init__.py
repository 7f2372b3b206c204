"""People: identity, consent, stages, counselling and plan, notes, follow-ups, duplicates."""

"""Socioeconomic profile (DESIGN §3): sections as forms, encrypted answers, drafts and submitted
versions, completeness, derived vulnerability flags."""

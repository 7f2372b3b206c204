"""Community groups (DESIGN §9): groups of ex-associates and community members, their members,
plan, meetings, social-cohesion follow-ups, group grants and group referrals."""
from icrs.groups import lifecycle  # noqa: F401,E402  (connects the people signals)

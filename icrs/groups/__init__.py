"""Community groups (DESIGN §9): groups of ex-associates and community members, their members,
plan, meetings, social-cohesion follow-ups, group grants and group referrals."""

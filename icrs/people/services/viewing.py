"""Audit entries for views of personal data."""
from icrs.audit.services import record


def record_list_view(actor, count):
    record("people.list_viewed", actor=actor, object_type="person", count=count)


def mark_viewed(actor, person, what="case"):
    """Every view of personal data is audited."""
    record("people.viewed", actor=actor, obj=person, page=what)

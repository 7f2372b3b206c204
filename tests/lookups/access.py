"""Who may use each lookups endpoint; merged by the route matrix."""
ACCESS = {
    "lookups.index": {"admin"},
    "lookups.entries": {"admin"},
    "lookups.entry_new": {"admin"},
    "lookups.entry_edit": {"admin"},
    "lookups.entry_active": {"admin"},
}

"""Who may GET each audit endpoint; merged into the route matrix (tests/core/test_route_matrix)."""
ACCESS = {
    "audit.index": {"admin"},
    "audit.person_history": {"supervisor", "admin"},
}

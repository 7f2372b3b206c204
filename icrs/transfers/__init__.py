"""Transfers of a case between sites, and contact requests about possible duplicates held at
another site (see the README, "Transfers between sites")."""

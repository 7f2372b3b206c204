"""Tamper-evident audit trail: who saw or changed what, as a hash chain."""

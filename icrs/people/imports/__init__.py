"""Bulk import of an existing caseload (CSV, XLSX, KoBoToolbox exports): read the file, map its
columns to ICRS fields, preview every row's problems, apply all or nothing (or skipping the
invalid rows)."""

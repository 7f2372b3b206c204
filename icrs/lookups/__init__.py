"""Vocabularies that programmes adapt (armed groups, skills, pathways, reasons, outcomes…): each
entry a stable code with French and English labels, an order, active or retired.

One API, imported everywhere a vocabulary is offered, checked or shown: `choices`, `label`,
`is_valid` (icrs.lookups.registry). Domains declare their vocabularies with `register`."""
from icrs.lookups.registry import (  # noqa: F401 - the public API
    Vocabulary,
    all_choices,
    choices,
    codes,
    entries,
    is_valid,
    label,
    label_in,
    lazy_label,
    register,
    vocabularies,
    vocabulary,
)

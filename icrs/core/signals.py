"""Asking the domains above: a lower domain sends a named signal, the higher ones answer.

As Indico's `values_from_signal`: each receiver returns its part of the answer (or None), and the
sender collects them, so the lower domain never imports the higher one.
"""


def values_from_signal(responses, multi_value=False) -> list:
    """The receivers' return values from `signal.send(...)`, Nones dropped; with `multi_value`
    each receiver returns an iterable and the answers are chained into one list."""
    values = [value for _receiver, value in responses if value is not None]
    if multi_value:
        return [item for value in values for item in value]
    return values


def dict_from_signal(responses) -> dict:
    """The receivers' dicts merged into one (each answers with its own keys)."""
    merged = {}
    for value in values_from_signal(responses):
        merged.update(value)
    return merged

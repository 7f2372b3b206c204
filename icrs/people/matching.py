"""Duplicate candidates, the rules without the database: which blind keys a person's names give
(for the blocking look-up) and how two decrypted identities are scored, with the reasons shown
to the caseworker. The registration check (icrs.people.services.duplicates), the people search
and bench/names.py all use these functions; THRESHOLD comes from that benchmark
(bench/results.md)."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.core import names
from icrs.crypto.blind import blind_index, normalise_id_number, normalise_phone

THRESHOLD = 0.88  # total score from which a name match is shown (bench/names.py)
YEAR_WINDOW = 1  # blocking: birth years within ± 1

REASONS = {
    "same_id_number": _l("same ID number"),
    "same_phone": _l("same phone number"),
    "same_name": _l("same name"),
    "similar_name": _l("similar name"),
    "same_birth_year": _l("same birth year"),
    "close_birth_year": _l("birth year one year apart"),
    "same_sex": _l("same sex"),
    "same_caregiver": _l("same caregiver"),
    "same_site": _l("same site"),
}


@dataclass
class Score:
    value: float
    strong: bool = False  # same ID number or phone: shown whatever the names say
    reasons: list = field(default_factory=list)  # codes of REASONS, strongest first

    @property
    def is_candidate(self):
        return self.strong or self.value >= THRESHOLD

    @property
    def labels(self):
        return [REASONS[r] for r in self.reasons]


def main_tokens(identity) -> list[str]:
    return names.tokens(identity.get("first_name"), identity.get("last_name"))


def all_tokens(identity) -> list[str]:
    return names.tokens(identity.get("first_name"), identity.get("last_name"),
                        identity.get("other_names"))


def plain_name_keys(identity) -> set[tuple[str, str]]:
    """(kind, normalised value) of every name token and its phonetic key."""
    keys = set()
    for token in all_tokens(identity):
        keys.add(("token", token))
        keys.add(("phonetic", names.phonetic(token)))
    return keys


def name_keys(identity, keyring=None) -> set[tuple[str, int]]:
    """The stored form: (kind, keyed HMAC) for PersonNameKey; never a token."""
    return {(kind, blind_index(f"name_{kind}", value, keyring))
            for kind, value in plain_name_keys(identity)}


def years_close(left, right) -> bool:
    return left is None or right is None or abs(left - right) <= YEAR_WINDOW


def score(new: dict, old: dict) -> Score:
    """Compare two decrypted identities (dicts with the registration's keys, plus site_id)."""
    result = Score(0.0)
    for kind, normaliser in (("id_number", normalise_id_number), ("phone", normalise_phone)):
        left, right = normaliser(new.get(kind)), normaliser(old.get(kind))
        if left and left == right:
            result.strong = True
            result.reasons.append(f"same_{kind}")
    similarity = names.name_similarity(main_tokens(new), all_tokens(new), main_tokens(old),
                                       all_tokens(old))
    if similarity >= 0.999:
        result.reasons.append("same_name")
    elif similarity >= 0.8:
        result.reasons.append("similar_name")
    result.value = similarity + _agreement(new, old, result.reasons)
    return result


def _agreement(new, old, reasons) -> float:
    """Birth year, sex, caregiver and site nudge the name score up or down."""
    bonus = 0.0
    left, right = new.get("birth_year"), old.get("birth_year")
    if left is not None and right is not None:
        gap = abs(left - right)
        bonus += 0.03 if gap == 0 else -0.02 if gap == 1 else -0.2
        if gap <= 1:
            reasons.append("same_birth_year" if gap == 0 else "close_birth_year")
    if new.get("sex") and old.get("sex"):
        same = str(getattr(new["sex"], "value", new["sex"])) == \
            str(getattr(old["sex"], "value", old["sex"]))
        bonus += 0.02 if same else -0.15
        if same:
            reasons.append("same_sex")
    if new.get("caregiver_name") and old.get("caregiver_name") and names.name_similarity(
            *(_caregiver_tokens(new) + _caregiver_tokens(old))) >= 0.9:
        bonus += 0.03
        reasons.append("same_caregiver")
    if new.get("site_id") is not None and new.get("site_id") == old.get("site_id"):
        bonus += 0.02
        reasons.append("same_site")
    return bonus


def _caregiver_tokens(identity):
    found = names.tokens(identity.get("caregiver_name"))
    return [found, found]

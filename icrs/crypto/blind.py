"""Blind indexes for exact search and duplicate checks without decrypting: a truncated
HMAC-SHA256, with a per-index key, over a normalised value. 32 bits on purpose: collisions are
expected (they blur what an index reveals), so candidates are confirmed after decryption with
`matches()`.

Store the result in an `sa.Integer` column with an index (signed 32-bit, fits PostgreSQL INTEGER):
    person.phone_bidx = blind_index("phone", form.phone.data)
    candidates = select(Person).where(Person.phone_bidx == blind_index("phone", query))
    found = [p for p in candidates if matches("phone", p.phone, query)]
"""
import datetime
import hashlib
import hmac
import re
import unicodedata

import phonenumbers

from icrs.core import names

DEFAULT_REGION = "CM"
_ID_SEPARATORS = re.compile(r"[\s\-./_]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_id_number(raw) -> str | None:
    """ID / DDR card numbers: NFKC, upper case, no spaces, dashes, dots or slashes."""
    if raw is None:
        return None
    value = _ID_SEPARATORS.sub("", unicodedata.normalize("NFKC", str(raw))).upper()
    return value or None


def normalise_phone(raw, region: str = DEFAULT_REGION) -> str | None:
    """E.164 ("+237699123456"); local, spaced and 00-prefixed forms agree. Numbers that do not
    parse fall back to their digits so exact duplicates still match."""
    if raw is None or not str(raw).strip():
        return None
    try:
        number = phonenumbers.parse(str(raw), region)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = re.sub(r"\D", "", str(raw))
    return f"?{digits}" if digits else None


def normalise_name(raw) -> str | None:
    """Case, accents, punctuation and word order do not matter ("Ngono-Ébodé Marie" equals
    "marie ngono ebode"): name order varies between forms and documents."""
    if raw is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(raw).casefold())
    ascii_ish = "".join(c for c in decomposed if not unicodedata.combining(c))
    tokens = sorted(_NON_ALNUM.sub(" ", ascii_ish).split())
    return " ".join(tokens) or None


def normalise_name_year(raw) -> str | None:
    """(full name, birth year or date) -> "name tokens|year"; the year may be unknown."""
    name, year = raw
    name = normalise_name(name)
    if name is None:
        return None
    if isinstance(year, datetime.date):
        year = year.year
    return f"{name}|{year or ''}"


def normalise_name_token(raw) -> str | None:
    """One name token (icrs.core.names.tokens): folded letters only."""
    found = names.tokens(raw)
    return found[0] if len(found) == 1 else None


def normalise_name_phonetic(raw) -> str | None:
    """The phonetic key of one name token (icrs.core.names.phonetic)."""
    token = normalise_name_token(raw)
    return names.phonetic(token) if token else None


NORMALISERS = {
    "id_number": normalise_id_number,
    "phone": normalise_phone,
    "name_year": normalise_name_year,
    "name_token": normalise_name_token,
    "name_phonetic": normalise_name_phonetic,
}


def normalise(kind: str, raw) -> str | None:
    try:
        return NORMALISERS[kind](raw)
    except KeyError:
        raise ValueError(f"unknown blind index {kind!r}") from None


def compute(key: bytes, normalised: str) -> int:
    """First 32 bits of HMAC-SHA256 as a signed int."""
    digest = hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def blind_index(kind: str, raw, keyring=None) -> int | None:
    """The index value of `raw` for index `kind`, or None when there is nothing to index."""
    value = normalise(kind, raw)
    if value is None:
        return None
    if keyring is None:
        from icrs.crypto.datakeys import current_keyring
        keyring = current_keyring()
    return compute(keyring.blind_key(kind), value)


def matches(kind: str, stored, raw) -> bool:
    """Confirm a candidate found through the index by comparing normalised plaintexts."""
    left = normalise(kind, stored)
    return left is not None and left == normalise(kind, raw)

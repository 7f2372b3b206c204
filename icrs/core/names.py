"""Personal names as the Far North writes them: tokens, a phonetic key tuned for the region's
transliterations (Fulfulde, Kanuri, Hausa, Arabic written the French or the English way) and a
similarity for candidates already decrypted. Pure text, no keys: icrs.crypto.blind turns tokens
and phonetic keys into keyed HMACs, bench/names.py measures them.

"Aboubakar", "Aboubacar" and "Abubakar" share the key `ababakar`; "Mohamadou", "Mamadou",
"Mahamat" and "Mohammed" share `mamad`; "Oumarou", "Umaru" and "Omar" share `umar`."""
import re
import unicodedata

import jellyfish

_NON_ALPHA = re.compile(r"[^a-z]+")
_VOWELS = "aeiou"
# order matters: longer spellings first; each maps a spelling to one sound class
_SPELLINGS = (
    ("tch", "c"), ("sch", "c"), ("sh", "c"), ("ch", "c"), ("dj", "j"), ("dz", "j"),
    ("ph", "f"), ("kh", "k"), ("gh", "g"), ("th", "t"), ("ck", "k"), ("qu", "k"), ("q", "k"),
    ("x", "ks"), ("y", "i"), ("w", "u"),
)
_C_HARD = re.compile(r"c(?=[aou]|$)")  # Aboubacar: c before a, o, u sounds k
_GU = re.compile(r"gu(?=[ei])")  # French "gu" before e, i is a plain g
# common prefixes written many ways: Moham(m)a(d)ou/Mamadou/Mahamat, Abdou/Abdu/Abdul
_PREFIXES = (
    (re.compile(r"^m[aou]h?[aeiou]?m+"), "mam"),
    (re.compile(r"^abd[aeiou]*l*"), "abd"),
    (re.compile(r"^(?:al|el|ul)h"), "alh"),  # Alhadji, Elhadj
)


def fold(raw) -> str:
    """Lower case, accents off, NFKC: "Zénabou" -> "zenabou"."""
    decomposed = unicodedata.normalize("NFKD", str(raw or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(*values) -> list[str]:
    """The distinct name tokens of `values` (first name, last name, aliases), folded; a hyphen or
    a comma separates tokens ("Ngono-Ébodé" -> ngono, ebode)."""
    seen = {}
    for value in values:
        for token in _NON_ALPHA.sub(" ", fold(value)).split():
            seen.setdefault(token, None)
    return list(seen)


def phonetic(token: str) -> str | None:
    """The sound class of one folded token: transliteration variants agree, different names
    mostly do not (bench/names.py measures both)."""
    word = _NON_ALPHA.sub("", fold(token))
    if not word:
        return None
    for pattern, replacement in _PREFIXES:
        word = pattern.sub(replacement, word)
    word = _GU.sub("g", word)
    word = _C_HARD.sub("k", word)
    for spelling, sound in _SPELLINGS:
        word = word.replace(spelling, sound)
    word = word.replace("c", "s").replace("h", "")  # soft c; h is written or dropped at will
    return _skeleton(word) or word[:1]


def _skeleton(word: str) -> str:
    """Doubled letters once; the first vowel keeps its class (a, i for e/i, u for o/u), any later
    run of vowels becomes one "a"; a final vowel and a final t/d difference are dropped."""
    out = []
    for i, char in enumerate(word):
        if char in _VOWELS:
            sound = {"e": "i", "o": "u"}.get(char, char) if i == 0 else "a"
            if out and out[-1] in "aiu" and (i > 0 and word[i - 1] in _VOWELS):
                continue
            out.append(sound)
        elif not out or out[-1] != char:
            out.append(char)
    key = "".join(out)
    if len(key) > 2 and key[-1] in "aiu":
        key = key[:-1]
    if key.endswith("t"):
        key = key[:-1] + "d"
    return key


def token_similarity(left: str, right: str) -> float:
    """1 for the same token, 0.95 for the same sound, else Jaro-Winkler on the folded tokens."""
    if left == right:
        return 1.0
    if phonetic(left) == phonetic(right):
        return 0.95
    return jellyfish.jaro_winkler_similarity(left, right)


def _best(main: list[str], others: list[str]) -> list[float]:
    return [max(token_similarity(t, o) for o in others) for t in main]


def name_similarity(main_a, all_a, main_b, all_b) -> float:
    """0..1: each main token (first and last names) against the other's tokens (aliases too),
    both ways, the weakest token of the shorter name counting as much as the average (one shared
    first name is not a match); or, when the names have a different number of parts ("Abou
    Bakar" and "Aboubakar"), the names written together."""
    if not main_a or not main_b:
        return 0.0
    best_a, best_b = _best(main_a, all_b), _best(main_b, all_a)
    shorter = best_a if len(main_a) <= len(main_b) else best_b
    by_token = (sum(best_a) + sum(best_b)) / (len(best_a) + len(best_b)) / 2 + min(shorter) / 2
    joined_a, joined_b = "".join(main_a), "".join(main_b)
    if len(main_a) == len(main_b) or abs(len(joined_a) - len(joined_b)) > 2:
        return by_token
    together = max(jellyfish.jaro_winkler_similarity(joined_a, joined_b),
                   jellyfish.jaro_winkler_similarity("".join(sorted(main_a)),
                                                     "".join(sorted(main_b))))
    return max(by_token, together)

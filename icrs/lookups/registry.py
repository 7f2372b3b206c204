"""The vocabularies and the one way to read them: `choices`, `label`, `is_valid`.

A vocabulary's entries are the database rows when it has any; a schema without them (created by
`create_all`, before the seed migration) reads the entries its domain declared, so both behave
the same. Entries are read once per application context (one query per vocabulary per
request), and forgotten when a service changes them."""
from dataclasses import dataclass, field

from flask import g, has_app_context
from flask_babel import force_locale, get_locale
from flask_babel.speaklater import LazyString

from icrs.lookups.stores import TABLE


@dataclass(frozen=True)
class Vocabulary:
    key: str
    title: object
    seed: tuple  # ((code, lazy English label), ...): the entries a new installation starts with
    description: object = ""
    # The codes belong to a state machine or an exchange format: labels and order only.
    fixed: bool = False
    # Codes the application's rules name: they cannot be retired.
    protected: frozenset = field(default_factory=frozenset)
    # A stricter shape for new codes (an exchange format's), and the message saying it.
    code_pattern: object = None
    code_rule: object = ""
    # Where the entries live (icrs.lookups.stores); None: the lookup_entry table.
    store: object = None


@dataclass(frozen=True)
class Entry:
    code: str
    label_fr: str
    label_en: str
    position: int
    active: bool

    @property
    def label(self):
        return self.label_en if str(get_locale() or "fr").startswith("en") else self.label_fr


_VOCABULARIES: dict[str, Vocabulary] = {}


def register(vocab: Vocabulary) -> Vocabulary:
    _VOCABULARIES[vocab.key] = vocab
    return vocab


def vocabularies() -> list[Vocabulary]:
    return sorted(_VOCABULARIES.values(), key=lambda v: str(v.title).lower())


def vocabulary(key) -> Vocabulary:
    return _VOCABULARIES[key]


def seed_entries(vocab: Vocabulary) -> list[Entry]:
    """The declared entries: (code, lazy label) labelled from the translation catalogues, or
    (code, French label, English label)."""
    out = []
    for position, (code, *texts) in enumerate(vocab.seed, start=1):
        fr_text, en_text = texts if len(texts) == 2 else (texts[0], texts[0])
        with force_locale("fr"):
            fr = str(fr_text)
        with force_locale("en"):
            en = str(en_text)
        out.append(Entry(code, fr, en, position * 10, True))
    return out


def store(vocab: Vocabulary):
    return vocab.store or TABLE


def entries(key) -> list[Entry]:
    """Every entry of the vocabulary, retired ones included, in order (the declared ones
    outside an application context: pure code such as matching's scoring)."""
    if not has_app_context():
        return seed_entries(vocabulary(key))
    cache = g.setdefault("_lookups", {})
    if key not in cache:
        vocab = vocabulary(key)
        rows = store(vocab).rows(vocab)
        cache[key] = ([Entry(r.code, r.label_fr, r.label_en, r.position, r.active) for r in rows]
                      or seed_entries(vocab))
    return cache[key]


def forget(key=None):
    cache = g.get("_lookups") if has_app_context() else None
    if cache is not None:
        cache.clear() if key is None else cache.pop(key, None)


def _by_code(key) -> dict:
    return {e.code: e for e in entries(key)}


def _kept(keep) -> list:
    if keep is None or keep == "":
        return []
    if isinstance(keep, str):
        return [keep]
    return [k for k in keep if k not in (None, "")]


def choices(key, keep=None, exclude=()) -> list[tuple]:
    """(code, label) of the active entries in order, plus the record's own `keep` value(s)
    when retired (or unknown), so that editing an old record keeps its answer. `exclude`:
    codes this use does not offer at all."""
    active = [(e.code, e.label) for e in entries(key) if e.active and e.code not in exclude]
    offered = {code for code, _ in active}
    extra = [(str(k), label(key, k)) for k in dict.fromkeys(_kept(keep))
             if str(k) not in offered and str(k) not in exclude]
    return active + extra


def codes(key, include_retired=False) -> list[str]:
    return [e.code for e in entries(key) if include_retired or e.active]


def is_valid(key, code, allow_retired=False) -> bool:
    entry = _by_code(key).get(str(code)) if code not in (None, "") else None
    return entry is not None and (entry.active or allow_retired)


def all_choices(key) -> list[tuple]:
    """Every entry, retired ones after the active (search filters: old records stay findable)."""
    listed = entries(key)
    return ([(e.code, e.label) for e in listed if e.active]
            + [(e.code, e.label) for e in listed if not e.active])


def label_in(key, code, locale) -> str:
    """The label in a given language (an exchange format's name, e.g. HSDS's English one)."""
    entry = _by_code(key).get(str(code)) if code not in (None, "") else None
    if entry is None:
        return readable(code) if code not in (None, "") else ""
    return entry.label_en if locale == "en" else entry.label_fr


def label(key, code) -> str:
    """The code's label in the user's language (retired codes too); an unknown code reads as
    words, never as a raw snake_case code."""
    if code in (None, ""):
        return ""
    entry = _by_code(key).get(str(code))
    return entry.label if entry else readable(code)


def lazy_label(key, code):
    """The label, looked up when shown (in the language of that moment)."""
    return LazyString(label, key, code)


def readable(code) -> str:
    return str(code).replace("_", " ").strip().capitalize()

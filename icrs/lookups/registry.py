"""The vocabularies and the one way to read them: `choices`, `label`, `is_valid`.

A vocabulary's entries are the database rows when it has any; a schema without them (created by
`create_all`, before the seed migration) reads the entries its domain declared, so both behave
the same. Entries are read once per application context (one query per vocabulary per
request), and forgotten when a service changes them."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import force_locale, get_locale
from flask_babel.speaklater import LazyString

from icrs.extensions import db


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
    """The declared entries, labelled from the translation catalogues."""
    out = []
    for position, (code, text) in enumerate(vocab.seed, start=1):
        with force_locale("fr"):
            fr = str(text)
        with force_locale("en"):
            en = str(text)
        out.append(Entry(code, fr, en, position * 10, True))
    return out


def entries(key) -> list[Entry]:
    """Every entry of the vocabulary, retired ones included, in order (the declared ones
    outside an application context: pure code such as matching's scoring)."""
    if not has_app_context():
        return seed_entries(vocabulary(key))
    cache = g.setdefault("_lookups", {})
    if key not in cache:
        vocab = vocabulary(key)
        from icrs.lookups.models import LookupEntry
        rows = db.session.scalars(sa.select(LookupEntry).where(LookupEntry.vocabulary == key)
                                  .order_by(LookupEntry.position, LookupEntry.code)).all()
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


def choices(key, keep=None) -> list[tuple]:
    """(code, label) of the active entries in order, plus the record's own `keep` value(s)
    when retired (or unknown), so that editing an old record keeps its answer."""
    active = [(e.code, e.label) for e in entries(key) if e.active]
    offered = {code for code, _ in active}
    extra = [(str(k), label(key, k)) for k in dict.fromkeys(_kept(keep)) if str(k) not in offered]
    return active + extra


def codes(key, include_retired=False) -> list[str]:
    return [e.code for e in entries(key) if include_retired or e.active]


def is_valid(key, code, allow_retired=False) -> bool:
    entry = _by_code(key).get(str(code)) if code not in (None, "") else None
    return entry is not None and (entry.active or allow_retired)


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

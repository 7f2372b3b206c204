"""Catalogue chores: fill English (msgstr = msgid), list or merge French translations.

  python -m icrs.i18n_tools fill-en
  python -m icrs.i18n_tools untranslated fr > todo.json
  python -m icrs.i18n_tools merge fr done.json
"""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).parent / "translations"


def _load(lang):
    path = ROOT / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as fh:
        return path, read_po(fh, locale=lang)


def _save(path, catalog):
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)


def fill_en():
    path, catalog = _load("en")
    for m in catalog:
        if m.id and (not m.string or m.fuzzy or (isinstance(m.id, tuple) and not all(m.string))):
            m.string = m.id if not isinstance(m.id, tuple) else tuple(m.id)
            m.flags.discard("fuzzy")
    _save(path, catalog)


def untranslated(lang):
    _, catalog = _load(lang)
    todo = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else json.dumps(list(m.id))
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy or not all(strings):
            todo[key] = ""
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)


def merge(lang, source):
    path, catalog = _load(lang)
    done = json.loads(Path(source).read_text(encoding="utf-8"))
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else json.dumps(list(m.id))
        value = done.get(key)
        if value:
            m.string = tuple(value) if isinstance(m.id, tuple) else value
            m.flags.discard("fuzzy")
    _save(path, catalog)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "fill-en":
        fill_en()
    elif cmd == "untranslated":
        untranslated(sys.argv[2])
    elif cmd == "merge":
        merge(sys.argv[2], sys.argv[3])

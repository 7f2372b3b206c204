"""Every user-facing string in the code and templates has a French and an English translation."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("icrs/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _source_ids():
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), method_map=METHODS, keywords=KEYWORDS):
        ids.add(message if isinstance(message, str) else message[0])
    return {i for i in ids if i}


def _translated(lang):
    with open(ROOT / "icrs" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    done = set()
    for m in catalog:
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.id and not m.fuzzy and all(strings):
            done.add(m.id if isinstance(m.id, str) else m.id[0])
    return done


def test_every_string_is_translated_in_french_and_english():
    source = _source_ids()
    assert len(source) > 100
    for lang in ("fr", "en"):
        missing = sorted(source - _translated(lang))
        assert not missing, f"{len(missing)} strings untranslated in {lang} (run `make " \
                            f"translations` and translate): {missing[:10]}"


def test_french_translations_keep_placeholders():
    import re
    with open(ROOT / "icrs/translations/fr/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    pattern = re.compile(r"%\(\w+\)s")
    bad = [m.id for m in catalog if m.id and isinstance(m.id, str) and m.string
           and sorted(pattern.findall(m.id)) != sorted(pattern.findall(m.string))]
    assert not bad, bad[:10]

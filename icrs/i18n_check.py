"""Fail when a catalogue has untranslated or fuzzy entries, or French text breaks French
typography (`make translations`, tests)."""
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po


def incomplete_entries(po_path: Path) -> list[str]:
    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


# : ; ? ! take a no-break space (U+00A0) or narrow no-break space (U+202F) before them in French,
# when they end a phrase (followed by a space, the end, or a closing sign; not 10:30 or http://).
NO_BREAK = "\u00a0\u202f"
BARE_PUNCTUATION = re.compile(rf"(?<=[^{NO_BREAK}])[:;?!](?=[\s»)<]|$)")
ENGLISH_QUOTES = re.compile(r"[“”\"]")
BARE_GUILLEMETS = re.compile(rf"«(?![{NO_BREAK}])|(?<![{NO_BREAK}])»")


def typography_problems(text: str) -> list[str]:
    """What breaks French typography in one translated string."""
    problems = []
    if BARE_PUNCTUATION.search(text):
        problems.append("no (narrow) no-break space before : ; ? !")
    if ENGLISH_QUOTES.search(re.sub(r"<[^>]*>", "", text)):
        problems.append("“English” quotes instead of « guillemets »")
    if BARE_GUILLEMETS.search(text):
        problems.append("no no-break space inside « guillemets »")
    return problems


def french_typography(po_path: Path) -> list[str]:
    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    bad = []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in filter(None, strings):
            for problem in typography_problems(text):
                bad.append(f"{problem}: {text[:60]!r}")
    return bad


def main(directory):
    bad = 0
    for po in sorted(Path(directory).glob("*/LC_MESSAGES/messages.po")):
        missing = incomplete_entries(po)
        if missing:
            bad += len(missing)
            print(f"{po}: {len(missing)} untranslated or fuzzy, e.g. {missing[:5]}")
        if po.parent.parent.name == "fr":
            typography = french_typography(po)
            bad += len(typography)
            for line in typography:
                print(f"{po}: {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "icrs/translations"))

"""Fail when a catalogue has untranslated or fuzzy entries (`make translations`, tests)."""
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


def main(directory):
    bad = 0
    for po in sorted(Path(directory).glob("*/LC_MESSAGES/messages.po")):
        missing = incomplete_entries(po)
        if missing:
            bad += len(missing)
            print(f"{po}: {len(missing)} untranslated or fuzzy, e.g. {missing[:5]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "icrs/translations"))

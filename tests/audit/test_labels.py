"""Every audit action the code can record has a label in French and English (the audit viewer
must never show a code). The actions are found by reading the source, not from a list."""
import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from icrs.audit.labels import ACTIONS

ROOT = Path(__file__).resolve().parents[2]
ACTION_LIKE = re.compile(r"^[a-z0-9]+\.[a-z0-9_]+$")


def _is_record_call(node):
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name == "record" and node.args


def _actions_in(path):
    """First arguments of `record(...)`; when one is computed (a variable), every action-like
    string of that module counts, so a dispatcher's table cannot hide an action."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found, computed = set(), False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_record_call(node):
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
            else:
                computed = True
    if computed:
        found |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                  and isinstance(n.value, str) and ACTION_LIKE.match(n.value)}
    return found


def recorded_actions():
    actions = set()
    for path in (ROOT / "icrs").rglob("*.py"):
        if path.name != "labels.py":
            actions |= _actions_in(path)
    return actions


def _translated(lang):
    with open(ROOT / "icrs" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return {m.id for m in read_po(fh) if m.id and m.string and not m.fuzzy}


def test_the_scan_finds_the_actions_recorded_through_a_variable():
    actions = recorded_actions()
    assert {"people.registered", "referrals.sent", "people.reopened", "people.resumed",
            "dashboard.personal_export"} <= actions


def test_every_recorded_action_has_a_label():
    missing = sorted(recorded_actions() - set(ACTIONS))
    assert not missing, f"audit actions without a label in icrs/audit/labels.py: {missing}"


def test_every_action_label_is_translated_in_french_and_english():
    for lang in ("fr", "en"):
        done = _translated(lang)
        untranslated = sorted(a for a, label in ACTIONS.items() if label._args[0] not in done)
        assert not untranslated, f"{lang}: {untranslated}"

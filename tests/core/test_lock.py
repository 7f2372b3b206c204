"""The lock files pin, with hashes, every dependency pyproject.toml declares: a dependency added
without `make lock` fails here instead of on a clean machine."""
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+ \\$")


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pinned(lock):
    lines = (ROOT / lock).read_text(encoding="utf-8").splitlines()
    return {_norm(m.group(1)) for m in map(PIN.match, lines) if m}


def _declared(*groups):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for group in groups:
        specs += project["optional-dependencies"][group]
    return {_norm(Requirement(s).name) for s in specs}


def test_runtime_lock_covers_the_dependencies():
    missing = _declared() - _pinned("requirements.lock")
    assert not missing, f"run `make lock`: not in requirements.lock: {sorted(missing)}"


def test_dev_lock_covers_dependencies_and_test_tools():
    missing = _declared("dev") - _pinned("requirements-dev.lock")
    assert not missing, f"run `make lock`: not in requirements-dev.lock: {sorted(missing)}"


def test_every_pin_has_a_hash():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        pins = re.findall(r"^[A-Za-z0-9][^\s]*==[^\s]+ \\\n((?:\s+--hash=sha256:[0-9a-f]{64}"
                          r"(?: \\)?\n)+)", text, flags=re.M)
        assert len(pins) == len(_pinned(lock)), lock
        options = [line for line in text.splitlines() if line.startswith("-")]
        assert not options and "file://" not in text, lock  # nothing machine-local

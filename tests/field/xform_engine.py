"""ODK's own XForm engine (@getodk/xforms-engine, the engine of ODK Web Forms) for the tests:
tests/field/engine/fill.mjs run by Node loads an XForm, answers it through the engine's API and
prints the submission XML the engine serialises.

`engine()` gives an Engine, installing the client's npm dependencies (`npm ci`, from the
committed package-lock.json) when node_modules is missing. Without node/npm the test fails with
the reason, unless ICRS_SKIP_JS_ENGINE=1 (then it is skipped). Reusable: a test that needs a
real submission of a form calls `engine().fill(xform, answers)`.
"""
import fcntl
import json
import os
import re
import shutil
import subprocess  # noqa: S404 - node and npm, with fixed arguments
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ENGINE_DIR = Path(__file__).parent / "engine"
CLIENT = ENGINE_DIR / "fill.mjs"
INSTALLED = ENGINE_DIR / "node_modules" / "@getodk" / "xforms-engine" / "package.json"
NODE_MIN = (20, 19)          # @getodk/xforms-engine's engines field
INSTALL_TIMEOUT = 600
FILL_TIMEOUT = 60


@dataclass(frozen=True)
class Filled:
    xml: bytes                   # the submission XML the engine serialised
    ready: bool                  # the engine found no required or constraint violation
    violations: tuple[dict, ...] = ()   # {"question", "reference", "condition", "message"}

    def violated(self, question: str) -> dict | None:
        return next((v for v in self.violations if v["question"] == question), None)


class Engine:
    def __init__(self, node: str):
        self.node = node

    def fill(self, xform: str, answers) -> Filled:
        """The engine's submission of `xform` answered with `answers`: {name: value} or a list
        of (name, value) pairs, set in order (a select_multiple takes a list of codes)."""
        with tempfile.TemporaryDirectory(prefix="icrs-xform-") as tmp:
            form, given = Path(tmp) / "form.xml", Path(tmp) / "answers.json"
            form.write_text(xform, encoding="utf-8")
            pairs = list(answers.items()) if isinstance(answers, dict) else list(answers)
            given.write_text(json.dumps(pairs, default=str), encoding="utf-8")
            done = subprocess.run([self.node, str(CLIENT), str(form), str(given)],  # noqa: S603
                                  capture_output=True, timeout=FILL_TIMEOUT, cwd=ENGINE_DIR)
        if done.returncode == 0:
            return Filled(done.stdout, True)
        if done.returncode == 2:
            report = json.loads(done.stderr.decode().strip().splitlines()[-1])
            return Filled(done.stdout, False, tuple(report["violations"]))
        raise EngineRefused(done.stderr.decode(errors="replace").strip())


class EngineRefused(AssertionError):
    """The client could not use the form or the answers (its message)."""


def _node_version(node: str) -> tuple[int, ...]:
    out = subprocess.run([node, "--version"], capture_output=True, text=True,  # noqa: S603
                         timeout=30).stdout
    match = re.match(r"v(\d+)\.(\d+)", out.strip())
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _install(npm: str):
    """npm ci (the committed lock), once even when several test processes start together."""
    with open(ENGINE_DIR / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if INSTALLED.exists():
            return
        try:
            done = subprocess.run([npm, "ci", "--prefix", str(ENGINE_DIR), "--no-audit",  # noqa: S603
                                   "--no-fund"], capture_output=True, text=True,
                                  timeout=INSTALL_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"npm ci in {ENGINE_DIR} took over {INSTALL_TIMEOUT} s", pytrace=False)
        if done.returncode != 0 or not INSTALLED.exists():
            pytest.fail(f"npm ci in {ENGINE_DIR} failed:\n{done.stdout}\n{done.stderr}",
                        pytrace=False)


def engine() -> Engine:
    if os.environ.get("ICRS_SKIP_JS_ENGINE") == "1":
        pytest.skip("ICRS_SKIP_JS_ENGINE=1: the XForms are not tried in ODK's engine")
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("The generated XForms are tested in ODK's engine, which needs Node.js "
                    f"{'.'.join(map(str, NODE_MIN))}+ and npm (apt-get install nodejs npm); "
                    "set ICRS_SKIP_JS_ENGINE=1 to skip these tests.", pytrace=False)
    if _node_version(node) < NODE_MIN:
        pytest.fail(f"@getodk/xforms-engine needs Node.js {'.'.join(map(str, NODE_MIN))}+, "
                    f"found {node} {_node_version(node)}; set ICRS_SKIP_JS_ENGINE=1 to skip.",
                    pytrace=False)
    if not INSTALLED.exists():
        _install(npm)
    return Engine(node)

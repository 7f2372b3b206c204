#!/usr/bin/env bash
# make lock: pin every dependency of ICRS (runtime: requirements.lock; with the dev and test
# tools: requirements-dev.lock), with sha256 hashes, for CPython 3.11 on Linux, from PyPI only.
# Re-run it after any change to the dependencies in pyproject.toml, and commit both files.
# Machine-local pip settings (extra indexes, wheel folders, constraints) are ignored, so the
# files name only what a clean machine with python3 and pip can fetch from PyPI.
set -euo pipefail
export CUSTOM_COMPILE_COMMAND="make lock"
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
"$BIN/python" -m pip install -q "pip-tools>=7.4" 2>&1 | grep -v "Location 'file:" || true
export PIP_CONFIG_FILE=/dev/null PIP_CONSTRAINT="" PIP_FIND_LINKS="" PIP_EXTRA_INDEX_URL=""
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL
COMPILE=("$BIN/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras
         --no-emit-index-url --no-emit-find-links
         --resolver backtracking ${LOCK_ARGS:-})
"${COMPILE[@]}" --output-file requirements.lock pyproject.toml
"${COMPILE[@]}" --extra dev --output-file requirements-dev.lock pyproject.toml
echo "requirements.lock: $(grep -c '==' requirements.lock) packages;" \
     "requirements-dev.lock: $(grep -c '==' requirements-dev.lock) packages"

#!/usr/bin/env bash
# make security: bandit (no high-severity finding), pip-audit (no known vulnerable dependency
# unless justified in pip-audit-ignore.txt) and sqlmap against a throwaway local instance.
# SECURITY_QUICK=1 bounds the sqlmap part for CI. Traffic goes to 127.0.0.1 and PyPI only.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
HERE=scripts/security
status=0

echo "== installing the scanners into the venv (not project dependencies)"
pip_log=$(mktemp)
"$BIN/python" -m pip install -q bandit pip-audit sqlmap >"$pip_log" 2>&1
pip_rc=$?
grep -v "Location 'file:" "$pip_log"; rm -f "$pip_log"
if [ "$pip_rc" -ne 0 ]; then
  echo "cannot install bandit/pip-audit/sqlmap (is PyPI reachable?)" >&2
  exit 1
fi

echo "   ($SECONDS s so far)"
echo "== bandit (gate: high severity)"
if ! "$BIN/bandit" -q -r icrs -c "$HERE/bandit.yaml" -lll -f txt; then
  echo "bandit: high-severity finding(s) above" >&2; status=1
else
  echo "bandit: no high-severity finding"
fi

echo "   ($SECONDS s so far)"
echo "== pip-audit"
"$BIN/python" "$HERE/pip_audit.py" || status=1

echo "   ($SECONDS s so far)"
echo "== sqlmap"
"$BIN/python" "$HERE/sqlmap_scan.py" || status=1

echo "   ($SECONDS s in all)"
[ "$status" -eq 0 ] && echo "== security checks passed" || echo "== security checks FAILED" >&2
exit "$status"

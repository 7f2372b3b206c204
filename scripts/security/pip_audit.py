"""pip-audit over exactly what ICRS installs: the pinned set of requirements-dev.lock (runtime and
dev/test tools, as `make` installs it), with the accepted advisories of pip-audit-ignore.txt.
Exit 0 when clean, 1 on a vulnerable dependency; when PyPI's vulnerability data cannot be
reached, say so and exit 0 (nothing could be checked)."""
import json
import os
import re
import subprocess  # noqa: S404 - runs pip-audit with a fixed argument list
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)
LOCK = os.path.join(HERE, "..", "..", "requirements-dev.lock")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def locked(path=LOCK):
    """{name: version} of every package pinned in the lock file."""
    with open(path, encoding="utf-8") as fh:
        return dict(m.groups() for m in map(PIN.match, fh) if m)


def ignored():
    with open(os.path.join(HERE, "pip-audit-ignore.txt"), encoding="utf-8") as fh:
        lines = [line.split("#", 1)[0].strip() for line in fh]
    return [line.split()[0] for line in lines if line]


def audit(requirements):
    with tempfile.TemporaryDirectory() as tmp:
        reqs, report = os.path.join(tmp, "requirements.txt"), os.path.join(tmp, "report.json")
        with open(reqs, "w", encoding="utf-8") as fh:
            fh.writelines(f"{name}=={version}\n" for name, version in sorted(requirements.items()))
        args = [os.path.join(BIN, "pip-audit"), "--progress-spinner", "off", "--disable-pip",
                "--no-deps", "-r", reqs, "-f", "json", "-o", report]
        for vuln in ignored():
            args += ["--ignore-vuln", vuln]
        run = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
        if not os.path.exists(report):
            print(run.stderr.strip()[-2000:])
            return None
        with open(report, encoding="utf-8") as fh:
            return json.load(fh)


def main():
    requirements = locked()
    report = audit(requirements)
    if report is None:
        print("pip-audit: could not run (see above).")
        return 1
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        print(f"pip-audit: SKIPPED: none of the {len(deps)} dependencies could be looked up in "
              "PyPI's vulnerability data from this machine (its per-release JSON API is not "
              "reachable here). Nothing was checked; run `make security` where PyPI is reachable.")
        return 0
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    skipped = len(deps) - len(audited)
    print(f"pip-audit: {len(audited)} dependencies checked, {skipped} could not be looked up, "
          f"{len(vulnerable)} vulnerable; ignored advisories: {', '.join(ignored()) or 'none'}.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())

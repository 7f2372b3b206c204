"""Run sqlmap against a throwaway ICRS on 127.0.0.1: the login form, the people search and a case
page, signed in as the demo caseworker. Exit 1 if any injection is found.

Everything lives in a temporary directory (database, keys in the environment) and the server only
listens on 127.0.0.1 at a free port. SECURITY_QUICK=1 makes a bounded run for CI.
"""
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess  # noqa: S404 - runs flask and sqlmap with fixed argument lists
import sys
import tempfile
import time
import urllib.parse
import urllib.request

BIN = os.path.dirname(sys.executable)
QUICK = os.environ.get("SECURITY_QUICK") == "1"
UA = "icrs-security-scan"  # the session is bound to the user agent: login and sqlmap share it
HOST = "127.0.0.1"
DEMO_PEOPLE = 40
# Ordinary refusals sqlmap should read as answers, not as errors (401: failed sign-in).
IGNORE_CODES = "400,401,404,409,413"
# Seconds per target. Quick runs level 1 / risk 1 on every listed parameter (about 15 s each on
# a laptop); the limit only stops a run that hangs, and a target cut short counts as a failure.
LIMIT = 150 if QUICK else 1800


def main():
    tmp = tempfile.mkdtemp(prefix="icrs-sqlmap-")
    env = _environment(tmp)
    server, results = None, {}
    try:
        started = time.monotonic()
        _bootstrap(env, tmp)
        print(f"   throwaway instance ready in {time.monotonic() - started:.0f} s", flush=True)
        port = _free_port()
        server = _serve(env, port, tmp)
        base = f"http://{HOST}:{port}"
        try:
            cookie, person_url = _sign_in(base, env["ICRS_DEMO_PASSWORD"])
        except (OSError, AttributeError) as exc:
            _server_log(tmp)
            raise SystemExit(f"sign-in as the demo caseworker failed: {exc}") from None
        results = {name: _sqlmap(name, args, tmp)
                   for name, args in _targets(base, cookie, person_url)}
        crashes = _server_errors(tmp)
        if crashes:
            results["server"] = f"{crashes} request(s) answered 500"
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    bad = {name: result for name, result in results.items() if result != "clean"}
    if bad:
        print("sqlmap: FAILED: " + ", ".join(f"{n}: {r}" for n, r in bad.items()))
        return 1
    print("sqlmap: no injection found in any target.")
    return 0


def _server_log(tmp, lines=40):
    with open(os.path.join(tmp, "server.log"), encoding="utf-8", errors="replace") as fh:
        print("--- server log (last lines)\n" + "".join(fh.readlines()[-lines:]))


def _server_errors(tmp):
    """sqlmap does not fail on a 500, we do (as the fuzz tests do): count the exceptions Flask
    logged and show the first one."""
    with open(os.path.join(tmp, "server.log"), encoding="utf-8", errors="replace") as fh:
        errors = [line.strip() for line in fh if line.startswith(("Traceback", "[")) and
                  "Exception on" in line]
    if errors:
        print(f"== server: {len(errors)} request(s) answered with a 500, e.g.: "
              f"{errors[0][:200]}")
    return len(errors)


def _environment(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICRS_", "DATABASE_URL"))}
    env.update({
        "FLASK_APP": "icrs:create_app",
        "DATABASE_URL": f"sqlite:///{tmp}/icrs.sqlite",
        "SECRET_KEY": secrets.token_hex(32),
        "ICRS_BASE_URL": f"http://{HOST}/",
        "ICRS_MASTER_KEY": "v1:" + secrets.token_hex(32),
        "ICRS_BLIND_INDEX_KEY": secrets.token_hex(32),
        "ICRS_AUDIT_KEY": secrets.token_hex(32),
        "ICRS_DEMO_PASSWORD": "scan-" + secrets.token_hex(8),
        # sqlmap sends thousands of logins: no rate limit or lockout on this throwaway instance
        "ICRS_LOGIN_RATE_LIMIT": "1000000 per minute",
        "ICRS_LOCKOUT_THRESHOLD": "1000000000",
    })
    return env


def _flask(env, *args, check=True):
    return subprocess.run([os.path.join(BIN, "flask"), *args], env=env, check=check,  # noqa: S603
                          capture_output=True, text=True, timeout=600)


def _bootstrap(env, tmp):
    """`flask db upgrade`, then the demo dataset with fewer people (DEMO_PEOPLE: the scan needs
    a few case pages, not 300, and loading them is most of the start-up time)."""
    upgrade = _flask(env, "db", "upgrade", check=False)
    if upgrade.returncode != 0:
        print(upgrade.stderr.strip()[-2000:])
        raise SystemExit("flask db upgrade failed: the scan needs the migrated schema")
    code = ("import icrs.demo.people as people; from icrs import create_app; "
            "from icrs.extensions import db; from icrs.demo import load_demo; "
            f"people.COUNT = {DEMO_PEOPLE}; app = create_app(); ctx = app.app_context(); "
            "ctx.push(); load_demo(app.config['ICRS_DEMO_PASSWORD']); db.session.commit()")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=600)  # noqa: S603


def _free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _serve(env, port, tmp):
    log = open(os.path.join(tmp, "server.log"), "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(  # noqa: S603
        [os.path.join(BIN, "flask"), "run", "--host", HOST, "--port", str(port), "--no-reload",
         "--no-debugger", "--with-threads"], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/login", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the ICRS server did not start; see its log above")


def _sign_in(base, password):
    """Log in as the demo caseworker with the scan's user agent; return the session cookie
    header and the address of one of the caseworker's case pages."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", UA)]
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": "caseworker",
                                   "password": password}).encode()
    opener.open(f"{base}/login", data=body)
    people = opener.open(f"{base}/people/").read().decode()
    match = re.search(r'href="(/people/[0-9a-f-]{36})"', people)
    if not match:
        raise SystemExit("could not sign in as the demo caseworker or find a case page")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, base + match.group(1)


def _targets(base, cookie, person_url):
    auth = ["--cookie", cookie]
    # A fresh CSRF token per request (sqlmap refuses --threads with --csrf-token); the password
    # is checked with a slow hash, so quick mode tests the username only.
    login = ["-u", f"{base}/login", "--data", "csrf_token=x&username=someone&password=secret",
             "--csrf-token", "csrf_token", "-p", "username" if QUICK else "username,password"]
    yield "login form", login
    # case number and filters: GET; kind, sort and page go through the same code whatever the
    # kind, so once is enough quickly
    yield ("people search (case)",
           ["-u", f"{base}/people/?kind=case&q=EN-MER&sort=-registered&page=1", "-p",
            "q,kind,sort,page", *auth])
    # a name, ID number or phone is POSTed with a CSRF token (never in a URL)
    yield ("people search (name, POST)",
           ["-u", f"{base}/people/", "--data", "csrf_token=x&kind=name&q=Bello&sort=case",
            "--csrf-token", "csrf_token", "--csrf-url", f"{base}/people/",
            "-p", "q" if QUICK else "q,kind,sort", *auth])
    yield "case page", ["-u", person_url + "*", *auth]


def _reachable(args):
    """The target answers 200 with the scan's cookie and user agent (else sqlmap would only
    test the login redirect and find nothing)."""
    url = args[args.index("-u") + 1].replace("*", "")
    headers = {"User-Agent": UA}
    if "--cookie" in args:
        headers["Cookie"] = args[args.index("--cookie") + 1]
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - 127.0.0.1 only
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(request, timeout=30).status == 200
    except OSError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _sqlmap(name, args, tmp):
    if not _reachable(args):
        print(f"== sqlmap: {name}: the target does not answer 200 when signed in")
        return "not reachable"
    out = os.path.join(tmp, "sqlmap", re.sub(r"\W+", "-", name))
    # No --smart in quick mode: it skips every parameter whose first heuristic is negative,
    # which is nearly a no-op. Level 1 / risk 1 runs the real boolean, error, UNION and
    # time-based tests on each parameter.
    mode = (["--level=1", "--risk=1"] if QUICK else ["--level=3", "--risk=2"])
    threads = [] if "--csrf-token" in args else ["--threads", "2"]
    cmd = [os.path.join(BIN, "sqlmap"), *args, *mode, *threads, "--batch", "--flush-session",
           "--disable-coloring", "--user-agent", UA, "--output-dir", out,
           "--ignore-code", IGNORE_CODES]
    print(f"== sqlmap: {name} ({'quick' if QUICK else 'full'}, at most {LIMIT} s)", flush=True)
    started, finished = time.monotonic(), True
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT,  # noqa: S603
                                stdin=subprocess.DEVNULL)
        output = result.stdout + result.stderr
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) \
            else (exc.stdout or "")
        finished = False
    return _judge(output, out, finished, time.monotonic() - started)


def _judge(output, out, finished, seconds):
    """"INJECTION FOUND", "clean" only when sqlmap says it tested every parameter and found
    nothing, else "not tested" (sqlmap stopped early, or ran out of time)."""
    logs = [os.path.join(d, "log") for d, _, files in os.walk(out) if "log" in files]
    injected = any(os.path.getsize(p) > 0 for p in logs)
    # Not "appears to be ... injectable": sqlmap prints that for a candidate it has not confirmed
    # yet, and then often "does not seem to be injectable" for the same parameter.
    injected = injected or bool(re.search(r"is vulnerable\.|identified the following injection "
                                          r"point", output))
    tested = "all tested parameters do not appear to be injectable" in output
    for line in output.splitlines():
        if re.search(r"\[CRITICAL\]|injectable|tested parameters", line):
            print("   " + line.strip()[:200])
    if injected:
        result = "INJECTION FOUND"
    elif finished and tested:
        result = "clean"
    else:
        result = "not tested" + ("" if finished else f" (time limit of {LIMIT} s reached)")
    print(f"   RESULT: {result} ({seconds:.0f} s)")
    return result


if __name__ == "__main__":
    sys.exit(main())

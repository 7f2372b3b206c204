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


def main():
    tmp = tempfile.mkdtemp(prefix="icrs-sqlmap-")
    env = _environment(tmp)
    server, results = None, {}
    try:
        _bootstrap(env, tmp)
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
        _server_errors(tmp)
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
    """sqlmap does not fail on a 500; list them (Flask logs each exception) to look into."""
    with open(os.path.join(tmp, "server.log"), encoding="utf-8", errors="replace") as fh:
        errors = [line.strip() for line in fh if line.startswith(("Traceback", "[")) and
                  "Exception on" in line]
    if errors:
        print(f"note: the server answered {len(errors)} request(s) with a 500, e.g.: "
              f"{errors[0][:200]}")


def _environment(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ICRS_", "DATABASE_URL"))}
    env.update({
        "FLASK_APP": "icrs:create_app",
        "DATABASE_URL": f"sqlite:///{tmp}/icrs.sqlite",
        "SECRET_KEY": secrets.token_hex(32),
        "ICRS_MASTER_KEY": "v1:" + secrets.token_hex(32),
        "ICRS_BLIND_INDEX_KEY": secrets.token_hex(32),
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
    """`flask db upgrade` + `flask icrs demo`; while migrations lag behind the models, that
    fails, and the tables are created from the models instead (db.create_all)."""
    upgrade = _flask(env, "db", "upgrade", check=False)
    demo = _flask(env, "icrs", "demo", check=False) if upgrade.returncode == 0 else upgrade
    if demo.returncode == 0:
        return
    print("flask db upgrade + demo failed (migrations behind the models?); "
          "creating the tables with db.create_all() instead.", flush=True)
    if os.path.exists(f"{tmp}/icrs.sqlite"):
        os.unlink(f"{tmp}/icrs.sqlite")
    code = ("from icrs import create_app; from icrs.extensions import db; "
            "from icrs.demo import load_demo; app = create_app(); ctx = app.app_context(); "
            "ctx.push(); db.create_all(); load_demo(app.config['ICRS_DEMO_PASSWORD']); "
            "db.session.commit()")
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
    login = ["-u", f"{base}/login", "--data", "csrf_token=x&username=someone&password=secret",
             "--csrf-token", "csrf_token", "-p", "username" if QUICK else "username,password"]
    yield "login form", login
    for kind in ("case", "name"):
        params = "q" if QUICK else "q,kind,sort,page"
        yield (f"people search ({kind})",
               ["-u", f"{base}/people/?kind={kind}&q=EN-MER&sort=-registered&page=1", "-p",
                params, *auth])
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
    mode = (["--level=1", "--risk=1", "--smart"] if QUICK else ["--level=3", "--risk=2"])
    cmd = [os.path.join(BIN, "sqlmap"), *args, *mode, "--batch", "--flush-session",
           "--disable-coloring", "--user-agent", UA, "--output-dir", out,
           "--ignore-code", "400,404,409,413", "--threads", "2"]
    limit = 30 if QUICK else 1200
    print(f"== sqlmap: {name} ({'quick' if QUICK else 'full'}, at most {limit} s)", flush=True)
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=limit,  # noqa: S603
                                stdin=subprocess.DEVNULL)
        output = result.stdout + result.stderr
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) \
            else (exc.stdout or "")
        print("   time limit reached; judging on what sqlmap reported so far")
    return _judge(output, out)


def _judge(output, out):
    logs = [os.path.join(d, "log") for d, _, files in os.walk(out) if "log" in files]
    injected = any(os.path.getsize(p) > 0 for p in logs)
    injected = injected or bool(re.search(r"is vulnerable|appears to be .*injectable|"
                                          r"identified the following injection point", output))
    for line in output.splitlines():
        if re.search(r"\[(CRITICAL|WARNING)\]|injectable|tested parameters", line):
            print("   " + line.strip()[:200])
    print("   RESULT: " + ("INJECTION FOUND" if injected else "no injection found"))
    return "INJECTION FOUND" if injected else "clean"


if __name__ == "__main__":
    sys.exit(main())

"""`make loadtest`: ICRS under 50 simulated users on loopback, then a check for lost writes.

1. creates a fresh PostgreSQL database, applies the migrations and loads the demo dataset;
2. starts gunicorn with gunicorn.conf.py on a free loopback port, rate limits in Redis;
3. runs locust headless (loadtest/locustfile.py): caseworkers, providers and supervisors;
4. reports requests/s, p50/p95 and errors, overall and per page;
5. compares every write the simulated users were confirmed (ids taken from the responses) with
   the database, checks the row counts moved by exactly those writes, and verifies the audit chain;
6. stops gunicorn, drops the database (unless --keep-db) and writes bench/loadtest.md.

The only setting loosened for the run is the per-IP login rate limit (ICRS_LOGIN_RATE_LIMIT):
all 50 users sign in from 127.0.0.1 within seconds, which the production default (20 per minute
per IP) rightly refuses. CSRF, the lockout, sessions and every other control stay as in
production. Exit status 1 if any request failed, a write is missing or p95 misses the target.
"""
import argparse
import datetime
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess  # noqa: S404 - runs our own tools with fixed argument lists
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict

import psutil
import psycopg
import redis

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
P95_TARGET_MS = 500
NOTES_MARK = "<!-- notes: kept when the file is rewritten -->"


def main():
    args = parse_args()
    started = datetime.datetime.now().astimezone()
    workdir = tempfile.mkdtemp(prefix="icrs-loadtest-")
    dbname = args.db or f"icrs_loadtest_{os.getpid()}"
    db_url = f"{args.pg.rstrip('/')}/{dbname}"
    env = app_environment(args, db_url)
    preflight(args)
    gunicorn = None
    if not args.db:
        create_database(args.pg, dbname)
    try:
        if not args.db:
            prepare(env, db_url)
        before = snapshot(db_url)
        port = free_port()
        env["ICRS_BIND"] = f"127.0.0.1:{port}"
        load_before = os.getloadavg()
        gunicorn = start_gunicorn(env, workdir, port)
        meter = CpuMeter(gunicorn.pid, dbname)
        stats = run_locust(args, env, workdir, port, meter)
        stats["cpu"] = meter.stop()
        stop(gunicorn)
        gunicorn = None
        server_errors = count_server_errors(os.path.join(workdir, "gunicorn.log"))
        check = verify_writes(db_url, before, stats["writes"])
        check["audit"] = audit_verify(env)
        report = build_report(args, started, env, stats, check, server_errors, load_before)
        with open(os.path.join(workdir, "report.md"), "w") as fh:
            fh.write(report)
        print(report)
        if args.record:
            write_record(args.record, report)
            print(f"Written to {os.path.relpath(args.record, ROOT)}.")
        print(f"Logs and raw results: {workdir}")
        ok = (stats["failures"] == 0 and server_errors == 0 and not check["problems"]
              and check["audit"]["ok"] and stats["p95"] < P95_TARGET_MS)
        return 0 if ok else 1
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        if args.keep_db or args.db:
            print(f"Database kept: {db_url}")
        else:
            drop_database(args.pg, dbname)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60,
                        help="seconds with every user running, after the ramp-up")
    parser.add_argument("--spawn-rate", type=float, default=2,
                        help="users started per second (each signs in: Argon2 on the "
                             "server); 2/s spreads sign-ins as a morning does, 5/s is a stress "
                             "case")
    parser.add_argument("--pg", default=os.environ.get(
        "LOADTEST_PG", "postgresql://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without a database name (default: $LOADTEST_PG or "
             "postgresql://postgres@127.0.0.1:5432)")
    parser.add_argument("--redis", default=os.environ.get(
        "LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--login-rate-limit", default=os.environ.get(
        "LOADTEST_LOGIN_RATE_LIMIT", "300 per minute"),
        help="ICRS_LOGIN_RATE_LIMIT for this loopback run only (all users share one IP)")
    parser.add_argument("--record", default=os.path.join(ROOT, "bench", "loadtest.md"),
                        help="markdown file for the figures ('' to skip)")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--db", help="run against this existing, prepared database (kept; its "
                        "keys must be in ICRS_MASTER_KEY/ICRS_BLIND_INDEX_KEY): for tuning")
    args = parser.parse_args()
    split = {"LOADTEST_CASEWORKERS": 26, "LOADTEST_PROVIDERS": 14, "LOADTEST_SUPERVISORS": 10}
    if args.users != 50 and not any(k in os.environ for k in split):
        split = {"LOADTEST_CASEWORKERS": max(1, args.users * 26 // 50),
                 "LOADTEST_PROVIDERS": max(1, args.users * 14 // 50)}
        split["LOADTEST_SUPERVISORS"] = max(1, args.users - sum(split.values()))
    for key, value in split.items():
        os.environ.setdefault(key, str(value))
    return args


def app_environment(args, db_url):
    """Production-like settings with throwaway keys: nothing read from instance/."""
    env = dict(os.environ)
    env.update({
        "FLASK_APP": "icrs:create_app",
        "DATABASE_URL": db_url,
        "SECRET_KEY": secrets.token_hex(32),
        "ICRS_BASE_URL": "http://127.0.0.1/",  # gunicorn's port is chosen later; hosts ignore it
        "REDIS_URL": args.redis,
        "ICRS_LOGIN_RATE_LIMIT": args.login_rate_limit,
    })
    if not args.db:  # throwaway keys for a throwaway database
        env["ICRS_MASTER_KEY"] = "v1:" + secrets.token_hex(32)
        env["ICRS_BLIND_INDEX_KEY"] = secrets.token_hex(32)
        env["ICRS_AUDIT_KEY"] = secrets.token_hex(32)
    elif not (env.get("ICRS_MASTER_KEY") and env.get("ICRS_BLIND_INDEX_KEY")
              and env.get("ICRS_AUDIT_KEY")):
        sys.exit("--db needs the database's keys in ICRS_MASTER_KEY, ICRS_BLIND_INDEX_KEY and "
                 "ICRS_AUDIT_KEY")
    env.pop("ICRS_DEMO_PASSWORD", None)
    return env


def preflight(args):
    try:
        redis.Redis.from_url(args.redis, socket_timeout=3).ping()
    except redis.RedisError as exc:
        sys.exit(f"Redis is not reachable at {args.redis}: {exc}")
    try:
        psycopg.connect(f"{args.pg.rstrip('/')}/postgres", connect_timeout=5).close()
    except psycopg.Error as exc:
        sys.exit(f"PostgreSQL is not reachable at {args.pg}: {exc}")


def admin(pg):
    return psycopg.connect(f"{pg.rstrip('/')}/postgres", autocommit=True)


def create_database(pg, dbname):
    with admin(pg) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    print(f"Created database {dbname}.")


def drop_database(pg, dbname):
    with admin(pg) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    print(f"Dropped database {dbname}.")


def flask(env, *args, **kwargs):
    return subprocess.run([os.path.join(BIN, "flask"), *args], cwd=ROOT, env=env,  # noqa: S603
                          check=kwargs.pop("check", True), **kwargs)


def prepare(env, db_url):
    print("Migrating and loading the demo dataset (about a minute) …", flush=True)
    flask(env, "db", "upgrade", stderr=subprocess.DEVNULL)
    with psycopg.connect(db_url) as conn:  # the app really uses this database
        conn.execute("SELECT version_num FROM alembic_version").fetchone()
    start = time.monotonic()
    flask(env, "icrs", "demo")
    print(f"Demo dataset loaded in {time.monotonic() - start:.0f} s.", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, workdir, port):
    log = open(os.path.join(workdir, "gunicorn.log"), "w")  # noqa: SIM115 - open while the server runs
    proc = subprocess.Popen([os.path.join(BIN, "gunicorn"), "-c", "gunicorn.conf.py"],  # noqa: S603
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as resp:  # noqa: S310
                if resp.status == 200:
                    print(f"gunicorn serving on 127.0.0.1:{port} (pid {proc.pid}).", flush=True)
                    return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    sys.exit(f"gunicorn did not answer within 60 s; see {log.name}")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # the arbiter: graceful stop of its workers
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ramp_seconds(args):
    return int(-(-args.users // args.spawn_rate))


def run_locust(args, env, workdir, port, meter):
    writes, samples = (os.path.join(workdir, name) for name in ("writes.json", "samples.json"))
    locust_env = dict(os.environ, LOADTEST_WRITES=writes, LOADTEST_SAMPLES=samples)
    cmd = [os.path.join(BIN, "locust"), "-f", os.path.join(ROOT, "loadtest", "locustfile.py"),
           "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
           "--run-time", f"{ramp_seconds(args) + args.duration}s", "--stop-timeout", "30",
           "--host", f"http://127.0.0.1:{port}", "--csv", os.path.join(workdir, "locust"),
           "--only-summary", "--loglevel", "WARNING"]
    print(f"locust: {args.users} users for {args.duration} s after a {ramp_seconds(args)} s "
          "ramp-up "
          f"({os.environ['LOADTEST_CASEWORKERS']} caseworkers, "
          f"{os.environ['LOADTEST_PROVIDERS']} providers, "
          f"{os.environ['LOADTEST_SUPERVISORS']} supervisors) …", flush=True)
    with open(os.path.join(workdir, "locust.log"), "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=locust_env, stdout=log,  # noqa: S603
                                stderr=subprocess.STDOUT)
        meter.start(proc.pid)
        proc.wait()
    with open(writes) as fh:
        logged = json.load(fh)
    with open(samples) as fh:
        raw = json.load(fh)
    return summarise(raw, logged, ramp_seconds(args))


def percentile(values, q):
    """Nearest-rank percentile of a non-empty list (milliseconds)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def summarise(raw, logged, ramp):
    times = [s["ms"] for s in raw["samples"]]
    t0 = min(s["start"] for s in raw["samples"])
    steady = [s["ms"] for s in raw["samples"] if s["start"] - t0 >= ramp]
    by_name = defaultdict(list)
    for s in raw["samples"]:
        by_name[(s["method"], s["name"])].append(s)
    rows = []
    for (method, name), items in sorted(by_name.items(), key=lambda kv: kv[0][1]):
        ms = [s["ms"] for s in items]
        rows.append({"method": method, "name": name, "count": len(items),
                     "failures": sum(1 for s in items if not s["ok"]),
                     "p50": statistics.median(ms), "p95": percentile(ms, 95), "max": max(ms)})
    return {
        "requests": len(times), "failures": sum(1 for s in raw["samples"] if not s["ok"]),
        "failure_messages": Counter(s["error"] for s in raw["samples"] if not s["ok"]),
        "statuses": Counter(str(s["status"]) for s in raw["samples"]),
        "duration": raw["duration"], "rps": len(times) / raw["duration"],
        "p50": statistics.median(times), "p95": percentile(times, 95), "max": max(times),
        "steady": {"requests": len(steady), "p50": statistics.median(steady),
                   "p95": percentile(steady, 95), "ramp": ramp},
        "rows": rows, "writes": logged,
    }


class CpuMeter:
    """Cores used while locust runs: by our gunicorn (arbiter and workers), by the PostgreSQL
    backends of our database, by locust, and by everything else on the machine (other work
    that shares the 2 cores and slows the figures down)."""

    def __init__(self, gunicorn_pid, dbname):
        self.gunicorn_pid, self.dbname, self.locust_pid = gunicorn_pid, dbname, None
        self.base, self.last, self.kind = {}, {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, locust_pid):
        self.locust_pid = locust_pid
        self.started, self.busy0 = time.monotonic(), self._busy()
        self._sample(first=True)
        self._thread.start()

    @staticmethod
    def _busy():
        t = psutil.cpu_times()
        return t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0)

    def _ours(self):
        procs = {}
        for root, kind in ((self.gunicorn_pid, "gunicorn"), (self.locust_pid, "locust")):
            try:
                top = psutil.Process(root)
                for p in [top, *top.children(recursive=True)]:
                    procs[p.pid] = (kind, p)
            except psutil.Error:
                pass
        for p in psutil.process_iter(["cmdline"]):
            if f" {self.dbname} " in " ".join(p.info["cmdline"] or []):
                procs[p.pid] = ("postgres", p)
        return procs

    def _sample(self, first=False):
        for pid, (kind, p) in self._ours().items():
            try:
                t = p.cpu_times()
            except psutil.Error:
                continue
            used = t.user + t.system
            if pid not in self.base:
                self.base[pid] = used if first else 0.0
            self.last[pid], self.kind[pid] = used, kind

    def _run(self):
        while not self._stop.wait(1.0):
            self._sample()

    def stop(self):
        self._sample()
        self._stop.set()
        elapsed = time.monotonic() - self.started
        cores = Counter()
        for pid, used in self.last.items():
            cores[self.kind[pid]] += (used - self.base[pid]) / elapsed
        total = (self._busy() - self.busy0) / elapsed
        cores["everything else"] = max(0.0, total - sum(cores.values()))
        cores["load"] = os.getloadavg()[0]
        return dict(cores)


def git_revision():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,  # noqa: S603,S607
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S603,S607
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + (" with uncommitted changes in the work tree" if dirty else "")


def count_server_errors(path):
    with open(path, errors="replace") as fh:
        return sum(1 for line in fh if "Traceback" in line or "[CRITICAL]" in line)


def snapshot(db_url):
    with psycopg.connect(db_url) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in ("person", "consent", "duplicate_decision", "note", "referral",
                              "referral_event")}


def verify_writes(db_url, before, writes):
    """Every confirmed write is in the database, and the tables moved by exactly those writes."""
    problems = []
    people = [w for w in writes if w["kind"] == "person"]
    consents = [w for w in writes if w["kind"] == "consent"]
    notes = [w for w in writes if w["kind"] == "note"]
    referrals = [w for w in writes if w["kind"] == "referral"]
    answers = [w for w in writes if w["kind"] == "answer"]
    decisions = sum(len(p["not_duplicate_of"]) for p in people)
    expected_status = {r["id"]: "sent" for r in referrals}
    for a in answers:  # in order: the last answer is the current status
        expected_status[a["id"]] = a["status"]
    with psycopg.connect(db_url) as conn:
        after = snapshot(db_url)
        found = dict(conn.execute("SELECT id::text, case_number FROM person WHERE id = ANY(%s)",
                                  [[p["id"] for p in people]]).fetchall())
        for p in people:
            if p["id"] not in found:
                problems.append(f"person {p['id']} ({p['case_number']}) missing")
            elif found[p["id"]] != p["case_number"]:
                problems.append(f"person {p['id']}: case number {found[p['id']]} in the database, "
                                f"{p['case_number']} on the page")
        have = Counter(conn.execute(
            "SELECT person_id::text, service_category FROM consent WHERE purpose = 'sharing' "
            "AND withdrawn_at IS NULL AND person_id = ANY(%s)",
            [[c["person"] for c in consents]]).fetchall())
        for c in consents:
            if not have[(c["person"], c["category"])]:
                problems.append(f"consent of {c['person']} to share ({c['category']}) missing")
        for p in people:
            if p["not_duplicate_of"]:
                n = conn.execute("SELECT count(*) FROM duplicate_decision WHERE person_id = %s "
                                 "AND candidate_id::text = ANY(%s)",
                                 [p["id"], p["not_duplicate_of"]]).fetchone()[0]
                if n != len(p["not_duplicate_of"]):
                    problems.append(f"duplicate decisions of {p['id']}: {n} of "
                                    f"{len(p['not_duplicate_of'])}")
        note_counts = Counter(n["person"] for n in notes)
        stored = dict(conn.execute(
            "SELECT person_id::text, count(*) FROM note WHERE kind = 'note' "
            "AND person_id = ANY(%s) GROUP BY person_id", [list(note_counts)]).fetchall())
        for person_id, n in note_counts.items():
            if stored.get(person_id, 0) != n:
                problems.append(f"notes of {person_id}: {stored.get(person_id, 0)} of {n}")
        status = dict(conn.execute("SELECT id::text, status FROM referral WHERE id = ANY(%s)",
                                   [list(expected_status)]).fetchall())
        for referral_id, want in expected_status.items():
            if status.get(referral_id) != want:
                problems.append(f"referral {referral_id}: {status.get(referral_id, 'missing')}, "
                                f"expected {want}")
    moved = {t: after[t] - before[t] for t in after}
    expected = {"person": len(people), "consent": len(consents), "duplicate_decision": decisions,
                "note": len(notes), "referral": len(referrals),
                "referral_event": 2 * len(referrals) + len(answers)}  # draft + sent, each answer
    for table, n in expected.items():
        if moved[table] != n:
            problems.append(f"{table}: {moved[table]} new rows, {n} writes confirmed")
    return {"problems": problems, "expected": expected, "moved": moved,
            "refused_full": sum(1 for w in writes if w["kind"] == "accept_refused_full"),
            "answers": Counter(a["status"] for a in answers)}


def audit_verify(env):
    result = flask(env, "icrs", "audit", "verify", check=False, capture_output=True, text=True)
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             if line.strip() and "keyring" not in line]
    return {"ok": result.returncode == 0, "message": lines[-1] if lines else ""}


def gunicorn_settings(env):
    """The settings gunicorn.conf.py resolves to under this environment."""
    code = ("import runpy, json; c = runpy.run_path('gunicorn.conf.py'); "
            "print(json.dumps({k: c.get(k) for k in ('workers', 'worker_class', 'threads', "
            "'timeout')}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,  # noqa: S603
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def machine(pg):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with psycopg.connect(f"{pg.rstrip('/')}/postgres") as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} " \
           f"{platform.release()}, Python {platform.python_version()}, PostgreSQL {pg}"


def build_report(args, started, env, stats, check, server_errors, load_before):
    g = gunicorn_settings(env)
    verdict = "PASS" if (stats["failures"] == 0 and server_errors == 0 and not check["problems"]
                         and check["audit"]["ok"] and stats["p95"] < P95_TARGET_MS) else "FAIL"
    lines = [
        "# Load test (`make loadtest`)", "",
        f"- **Date**: {started:%Y-%m-%d %H:%M %Z}",
        f"- **Code**: {git_revision()}",
        f"- **Machine**: {machine(args.pg)}",
        f"- **Server**: gunicorn on 127.0.0.1 with gunicorn.conf.py: {g['workers']} "
        f"{g['worker_class']} workers × {g.get('threads') or 1} thread(s), timeout "
        f"{g['timeout']} s; PostgreSQL pool per worker {env.get('ICRS_DB_POOL_SIZE', '5')} + "
        f"{env.get('ICRS_DB_MAX_OVERFLOW', '5')} overflow; rate limits in Redis; demo dataset "
        f"(300 people, 163 referrals); login rate limit raised to "
        f"`{args.login_rate_limit}` for the loopback run",
        f"- **Load**: {args.users} users ({os.environ['LOADTEST_CASEWORKERS']} caseworkers, "
        f"{os.environ['LOADTEST_PROVIDERS']} providers, {os.environ['LOADTEST_SUPERVISORS']} "
        f"supervisors), started at {args.spawn_rate:g}/s (each signs in), then {args.duration} s "
        f"with all of them; think time "
        f"{os.environ.get('LOADTEST_THINK_MIN', '1')}–{os.environ.get('LOADTEST_THINK_MAX', '3')}"
        " s between steps; the generator (locust) runs on the same cores",
        f"- **CPU during the run** (cores, of {os.cpu_count()}): " + ", ".join(
            f"{k} {v:.2f}" for k, v in stats["cpu"].items() if k != "load")
        + f"; load average {load_before[0]:.2f} before, {stats['cpu']['load']:.2f} at the end",
        "", "## Result", "",
        "| requests | requests/s | p50 | p95 | max | errors | lost writes | audit chain | "
        "target (0 errors, p95 < 500 ms) |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|",
        f"| {stats['requests']} | {stats['rps']:.1f} | {stats['p50']:.0f} ms | "
        f"{stats['p95']:.0f} ms | {stats['max']:.0f} ms | "
        f"{stats['failures'] + server_errors} | {len(check['problems'])} | "
        f"{'intact' if check['audit']['ok'] else 'BROKEN'} | **{verdict}** |",
        "",
        f"With all {args.users} users running (after the {stats['steady']['ramp']} s ramp-up): "
        f"{stats['steady']['requests']} requests, p50 {stats['steady']['p50']:.0f} ms, "
        f"p95 {stats['steady']['p95']:.0f} ms.",
        "",
        "Responses by status: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(stats["statuses"].items())) +
        " (302: a form saved and redirected; 409: the expected answer to a possible duplicate "
        "or to accepting into a full service, which the user then resolves).",
        "",
    ]
    if stats["failure_messages"]:
        lines += ["Failed requests: " + "; ".join(f"{m} ×{n}" for m, n in
                                                   stats["failure_messages"].most_common()), ""]
    if server_errors:
        lines += [f"Server errors in the gunicorn log: {server_errors}.", ""]
    e, m = check["expected"], check["moved"]
    lines += [
        "## Writes", "",
        "Each write the app confirmed (a redirect to the new or changed record, its id read from "
        "the response) was looked up in the database afterwards, and each table's row count "
        "moved by exactly the number of confirmed writes.", "",
        "| table | confirmed writes | new rows |", "|---|---:|---:|",
        *[f"| {t} | {e[t]} | {m[t]} |" for t in e],
        "",
        f"Provider answers: {', '.join(f'{k} {v}' for k, v in sorted(check['answers'].items()))}"
        f"; accepts refused because the service was full (then declined): "
        f"{check['refused_full']}. Referral statuses checked against each referral's last answer. "
        f"Audit chain: {check['audit']['message']}",
        "",
    ]
    if check["problems"]:
        lines += ["**Problems:**", "", *[f"- {p}" for p in check["problems"][:50]], ""]
    lines += ["## Per page", "",
              "| request | count | errors | p50 ms | p95 ms | max ms |",
              "|---|---:|---:|---:|---:|---:|",
              *[f"| {r['method']} {r['name']} | {r['count']} | {r['failures']} | "
                f"{r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} |" for r in stats["rows"]],
              ""]
    return "\n".join(lines)


def write_record(path, report):
    """Rewrite the figures; keep the hand-written notes after NOTES_MARK."""
    notes = ""
    if os.path.exists(path):
        with open(path) as fh:
            text = fh.read()
        if NOTES_MARK in text:
            notes = text[text.index(NOTES_MARK):]
    with open(path, "w") as fh:
        fh.write(report.rstrip() + "\n\n" + (notes or NOTES_MARK + "\n"))


if __name__ == "__main__":
    sys.exit(main())

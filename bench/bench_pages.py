"""Page benchmark: server time of the main pages on a large dataset, beside the raw SQL of the
same queries and a bare Flask route, in SQLite and PostgreSQL.

    python bench/bench_pages.py [--people 100000] [--db sqlite,postgresql] [-n 30] [--out FILE]

For each database, the dataset comes from bench/generate.py (reused when already there). Each
page is requested in-process through the Flask test client, signed in as the role that uses it
(caseworker, provider, national supervisor; the HSDS API with a bearer token): two warm-up
requests, then N timed ones (median and p95). One more request records every SQL statement the
page sends (before_cursor_execute); its SELECTs are then replayed N times on a raw DB-API
connection (no SQLAlchemy, no Flask): that is the "raw SQL" baseline. The "bare route" is a view
that only answers "ok" behind the same login and session machinery; the "floor" adds what every
page of personal data does, whatever it shows: the layout, and the audit entry, committed.

Targets (SQLite, medians): people list, search, person, inbox and referral pages under 60 ms; the
dashboard under 400 ms and within 1.5x of its raw SQL; no page above 3x its raw SQL.
"""
import argparse
import datetime as dt
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import generate  # noqa: E402

from icrs import sqlite_pragmas  # noqa: E402
from icrs.extensions import db  # noqa: E402

PG_BASE = "postgresql://postgres@127.0.0.1:5432/"
FAST_MS, DASHBOARD_MS, RATIO, DASHBOARD_RATIO = 60, 400, 3.0, 1.5
DASHBOARD_QUERY = {"date_from": "2024-01-01", "date_to": "2024-12-31", "by": "sex"}
HERE = os.path.dirname(os.path.abspath(__file__))
COUNTED = ["person", "profile_draft", "profile_section", "referral", "referral_event",
           "service", "organisation", "consent", "follow_up", "data_key"]


# --- the pages ----------------------------------------------------------------------------------
def pages(app):
    """(label, role login or None for the API token, url, query, target ms or None)."""
    with app.app_context():
        s = samples()
    return [
        ("people list", "cw", "/people/", {}, FAST_MS),
        ("people list, national", "national", "/people/", {}, FAST_MS),
        ("search by ID number", "cw", "/people/",
         Posted({"kind": "id_number", "q": s["id_number"]}), FAST_MS),
        ("person page", "cw", f"/people/{s['person']}", {}, FAST_MS),
        ("profile page", "cw", f"/people/{s['person']}/profile", {}, None),
        ("referrals list", "cw", "/referrals/", {}, FAST_MS),
        ("referral page", "cw", f"/referrals/{s['referral']}", {}, FAST_MS),
        ("provider inbox", "provider", "/referrals/inbox", {}, FAST_MS),
        ("provider referral page", "provider", f"/referrals/received/{s['received']}", {},
         FAST_MS),
        ("directory list", "cw", "/directory/", {}, None),
        ("dashboard, 2024 by sex", "national", "/dashboard/", DASHBOARD_QUERY, DASHBOARD_MS),
        ("dashboard, first view (12 months)", "national", "/dashboard/", {}, DASHBOARD_MS),
        ("dashboard, all time", "national", "/dashboard/", {"date_from": "", "date_to": ""},
         DASHBOARD_MS),
        ("dashboard, 2024, one region by site", "national", "/dashboard/",
         {**DASHBOARD_QUERY, "region": s["region"], "by": "site"}, DASHBOARD_MS),
        ("HSDS services (token)", None, "/hsds/services", {}, None),
    ]


def samples():
    """Ids to request: a person of the caseworker with a profile and a sent referral, one
    referral received by the provider, and the ID number of a person of the caseworker's site."""
    from icrs.auth.models import User
    from icrs.core.models import Region
    from icrs.people.models import Person
    from icrs.profiling.models import ProfileDraft
    from icrs.referrals.models import Referral

    cw = db.session.scalar(sa.select(User).where(User.username == "cw-mer-1"))
    provider = db.session.scalar(sa.select(User).where(User.username == "provider-0"))
    person_id, referral_id = db.session.execute(
        sa.select(Person.id, Referral.id).join(Referral, Referral.person_id == Person.id)
        .join(ProfileDraft, ProfileDraft.person_id == Person.id)
        .where(Person.caseworker_id == cw.id, Referral.sent_at.is_not(None))
        .order_by(Person.case_number).limit(1)).one()
    received = db.session.scalar(
        sa.select(Referral.id).where(Referral.organisation_id == provider.organisation_id,
                                     Referral.sent_at.is_not(None))
        .order_by(sa.case((Referral.status == "sent", 0), else_=1), Referral.id).limit(1))
    return {"person": person_id, "referral": referral_id, "received": received,
            "id_number": generate.id_number(0),  # person 0 is at the first site (Méri)
            "region": db.session.scalar(sa.select(Region.id).order_by(Region.code).limit(1))}


LOGINS = {"cw": "cw-mer-1", "national": "national", "provider": "provider-0"}


def clients(app):
    out = {}
    for role, username in LOGINS.items():
        client = app.test_client()
        response = client.post("/login", data={"username": username,
                                               "password": generate.PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"login as {username} failed ({response.status_code})")
        out[role] = client
    out[None] = app.test_client()
    return out


def add_bare_routes(app):
    """"ok" behind the login (the signed-in roles) and public (the API token client)."""
    from icrs.auth.access import public

    def bare():
        return "ok"

    def bare_public():
        return "ok"

    app.add_url_rule("/_bench/bare", "bench_bare", bare)
    app.add_url_rule("/_bench/public", "bench_public", public(bare_public))
    app.add_url_rule("/_bench/floor", "bench_floor", floor)


def floor():
    """What every page of personal data does whatever it shows: the layout (menu, language,
    notifications) and its audit entry, committed."""
    from flask import render_template_string
    from flask_login import current_user

    from icrs.audit.services import record

    page = render_template_string('{% extends "base.html" %}{% block content %}ok'
                                  '{% endblock %}')
    record("bench.floor", actor=current_user)
    db.session.commit()
    return page


# --- measuring ----------------------------------------------------------------------------------
HEADERS = {"Authorization": f"Bearer {generate.API_TOKEN}"}


class Posted(dict):
    """Form data of a page that is POSTed (the identity search never goes in a URL)."""


def send(client, url, query, headers):
    if isinstance(query, Posted):
        return client.post(url, data=dict(query), headers=headers)
    return client.get(url, query_string=query, headers=headers)


def timed(client, url, query, n, role):
    headers = HEADERS if role is None else {}
    for _ in range(2):
        check(send(client, url, query, headers), url)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = send(client, url, query, headers)
        times.append((time.perf_counter() - start) * 1000)
        check(response, url)
    return times


def check(response, url):
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if b"No person matches" in response.data:
        raise SystemExit(f"{url}: the search found nobody (blind index or data broken)")


def median_p95(times):
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * len(ordered)))
                                               - (1 if len(ordered) >= 20 else 0)]


def capture(app, client, url, query, role):
    statements = []
    engine = sa.engine.Engine  # every engine: the dashboard's spare connection too

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        send(client, url, query, HEADERS if role is None else {})
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return statements


def is_read(statement):
    return statement.lstrip().upper().startswith(("SELECT", "WITH"))


def raw_connection(url):
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":  # with the app's connection settings
        conn = sqlite3.connect(parsed.database)
        for pragma in sqlite_pragmas():
            conn.execute(pragma)
        return conn
    import psycopg
    return psycopg.connect(parsed.set(drivername="postgresql").render_as_string(
        hide_password=False))


def time_raw(url, statements, n):
    reads = [(s, p) for s, p in statements if is_read(s)]
    conn = raw_connection(url)
    try:
        for statement, parameters in reads:  # warm
            conn.execute(statement, parameters).fetchall()
        times = []
        for _ in range(n):
            start = time.perf_counter()
            for statement, parameters in reads:
                conn.execute(statement, parameters).fetchall()
            times.append((time.perf_counter() - start) * 1000)
    finally:
        conn.close()
    return statistics.median(times)


def run(target, n, log=print):
    app = generate.make_app(target)
    add_bare_routes(app)
    users = clients(app)
    bare = {role: statistics.median(timed(c, "/_bench/public" if role is None else
                                          "/_bench/bare", {}, n, role))
            for role, c in users.items()}
    floors = {role: statistics.median(timed(c, "/_bench/floor", {}, n, role))
              for role, c in users.items() if role is not None}
    rows = []
    for label, role, url, query, target_ms in pages(app):
        times = timed(users[role], url, query, n, role)
        median, p95 = median_p95(times)
        statements = capture(app, users[role], url, query, role)
        raw = time_raw(generate.database_url(target), statements, n)
        rows.append({"label": label, "role": LOGINS.get(role, "API token"), "median": median,
                     "p95": p95, "raw": raw, "bare": bare[role], "floor": floors.get(role),
                     "queries": len(statements),
                     "target": target_ms})
        log(f"  {label:28} {median:8.1f} ms  raw {raw:7.1f} ms  {len(statements)} queries")
    with app.app_context():
        counts = {t: db.session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608
                  for t in COUNTED}
        meta = dict(db.session.execute(sa.text("SELECT key, value FROM bench_meta")).all())
        db.session.remove()
        db.engine.dispose()
    return rows, counts, meta


def verdict(row, sqlite):
    ratio = row["median"] / row["raw"] if row["raw"] else float("inf")
    misses = []
    if sqlite and row["target"] and row["median"] >= row["target"]:
        misses.append(f">{row['target']} ms")
    limit = DASHBOARD_RATIO if row["label"].startswith("dashboard") else RATIO
    if ratio > limit:
        misses.append(f">{limit:g}x raw")
    return ratio, misses


def table(rows, sqlite):
    lines = ["| page | as | median ms | p95 ms | raw SQL ms | page / raw | bare route ms | "
             "floor ms | queries | target | |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for row in rows:
        ratio, misses = verdict(row, sqlite)
        limit = DASHBOARD_RATIO if row["label"].startswith("dashboard") else RATIO
        goal = (f"< {row['target']} ms, " if row["target"] and sqlite else "") + f"≤ {limit:g}x"
        status = "ok" if not misses else "MISS " + ", ".join(misses)
        lines.append(f"| {row['label']} | {row['role']} | {row['median']:.1f} | "
                     f"{row['p95']:.1f} | {row['raw']:.1f} | {ratio:.1f}x | {row['bare']:.1f} | "
                     f"{_ms(row['floor'])} | {row['queries']} | {goal} | {status} |")
    return "\n".join(lines)


def _ms(value):
    return "—" if value is None else f"{value:.1f}"


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), cpu)
        with open("/proc/meminfo") as f:
            ram = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1)) / 1024 / 1024
    except (OSError, AttributeError):
        ram = 0
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return (f"{os.cpu_count()} CPUs (nproc), {cpu}, {ram:.1f} GiB RAM; load average at the "
            f"start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}")


def pg_version(url):
    try:
        conn = raw_connection(url)
        version = conn.execute("SHOW server_version").fetchone()[0]
        conn.close()
        return f"PostgreSQL {version}"
    except Exception:  # noqa: BLE001 - informative only
        return "PostgreSQL"


def pg_available(base):
    try:
        import psycopg
        psycopg.connect(base.rstrip("/") + "/postgres", connect_timeout=3).close()
        return True
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL at {base} unreachable ({type(exc).__name__}): skipped")
        return False


def git_head():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
                              capture_output=True, text=True, cwd=HERE, check=False).stdout.strip()
    except OSError:
        return "?"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=None, help="default: 3 per person")
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--pg-base", default=os.environ.get("BENCH_PG_BASE", PG_BASE),
                        help="PostgreSQL server URL; the database is named after the sizes")
    parser.add_argument("-n", type=int, default=30, help="timed requests per page")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--out", help="Markdown file (default: bench/results.md for the full "
                        "100,000-person run, else a file in the temp directory)")
    args = parser.parse_args(argv)
    n_referrals = 3 * args.people if args.referrals is None else args.referrals
    started = dt.datetime.now()
    header = machine()
    sections, ok = [], True
    for kind in [k.strip() for k in args.db.split(",") if k.strip()]:
        if kind == "sqlite":
            target = generate.default_target(args.people, n_referrals, args.services)
            name = f"SQLite {sqlite3.sqlite_version} ({target})"
        elif kind == "postgresql":
            if not pg_available(args.pg_base):
                continue
            target = (args.pg_base.rstrip("/") + "/"
                      f"icrs_bench_{args.people}p_{n_referrals}r_{args.services}s")
            name = f"{pg_version(args.pg_base.rstrip('/') + '/postgres')} ({target})"
        else:
            raise SystemExit(f"unknown --db {kind!r}: sqlite or postgresql")
        generate.ensure(target, args.people, n_referrals, args.services)
        print(f"{name}: {args.n} requests per page")
        rows, counts, meta = run(target, args.n)
        ok &= all(not verdict(r, kind == "sqlite")[1] for r in rows)
        sections.append((name, rows, counts, meta, kind == "sqlite"))
    text = report(started, header, sections, args)
    print()
    print(text)
    out = args.out or (os.path.join(HERE, "results.md") if args.people == 100_000 and
                       args.services == 1000 and n_referrals == 300_000 else os.path.join(
        generate.tempfile.gettempdir(), f"icrs-bench-results-{args.people}p.md"))
    with open(out, "w") as f:
        f.write(text + "\n")
    print(f"\nwritten to {out}")
    print("targets: " + ("all met" if ok else "some MISSED (see the last column)"))
    return 0 if ok or not args.strict else 1


def report(started, header, sections, args):
    parts = [f"# ICRS page benchmark\n\n- date: {started:%Y-%m-%d %H:%M} (git {git_head()})",
             f"- machine: {header}",
             f"- method: in-process Flask test client, {args.n} timed requests per page after "
             f"2 warm-up requests (median, p95); raw SQL = the page's SELECTs replayed on a "
             f"DB-API connection (median); bare route = a view answering \"ok\" behind the same "
             f"login/session; floor = a page behind the login that renders the layout with no "
             f"content and writes its audit entry (what every page of personal data does); "
             f"queries = SQL statements of one request (incl. the audit writes)"]
    for name, rows, counts, meta, sqlite in sections:
        generated = meta.get("seconds")
        parts.append(f"\n## {name}\n\n"
                     + ", ".join(f"{t} {n:,}" for t, n in counts.items())
                     + (f" (generated in {generated} s)" if generated else "") + "\n\n"
                     + table(rows, sqlite))
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())

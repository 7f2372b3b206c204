"""Dashboard benchmark: server time of the supervisor dashboard on a large dataset, and the same
SQL replayed raw.

    python bench/bench_dashboard.py [--db PATH] [--regenerate] [-n 15]

Generates the dataset with bench/generate.py unless it is already there (100,000 people,
300,000 referrals, 1,000 services). Then, as the national supervisor, times N in-process
test-client requests of /dashboard/ for a one-year period disaggregated by sex (median), records
every SQL statement one request runs, and times those statements replayed on a raw sqlite3
connection (median of N).
Targets on SQLite: median < 400 ms, and within 1.5× of its raw SQL.
"""
import argparse
import os
import sqlite3
import statistics
import sys
import time

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import generate  # noqa: E402

from icrs import sqlite_pragmas  # noqa: E402

QUERY = {"date_from": "2024-01-01", "date_to": "2024-12-31", "by": "sex"}
TARGET_MS, TARGET_RATIO = 400, 1.5


def login(client, username="national"):
    response = client.post("/login", data={"username": username,
                                           "password": generate.PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"login as {username} failed ({response.status_code})")


def time_requests(client, url, query, n):
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, query_string=query)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(samples)


def capture_sql(app, client, url, query):
    """The (statement, parameters) pairs that one request sends to the database."""
    statements = []
    engine = sa.engine.Engine  # every engine: the dashboard's spare connection too

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        client.get(url, query_string=query)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return statements


def time_raw(path, statements, n):
    conn = sqlite3.connect(path)
    for pragma in sqlite_pragmas():  # the app's connection settings
        conn.execute(pragma)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        for statement, parameters in statements:
            conn.execute(statement, parameters).fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    return statistics.median(samples)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=generate.default_target(100_000, 300_000, 1000))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("-n", type=int, default=15)
    args = parser.parse_args(argv)
    generate.ensure(args.db, force=args.regenerate)
    app = generate.make_app(args.db)
    client = app.test_client()
    login(client)
    rows = []
    for label, url, query in (("dashboard, 2024, by sex", "/dashboard/", QUERY),
                              ("dashboard, first view (12 months)", "/dashboard/", {}),
                              ("dashboard, all time, by age", "/dashboard/",
                               {"date_from": "", "by": "age"}),
                              ("dashboard, one region, by site", "/dashboard/",
                               {**QUERY, "region": 1, "by": "site"})):
        client.get(url, query_string=query)  # warm the page cache and the templates
        served = time_requests(client, url, query, args.n)
        statements = capture_sql(app, client, url, query)
        raw = time_raw(args.db, statements, args.n)
        rows.append((label, served, raw, len(statements)))
    print(f"{'request':34} {'server ms':>10} {'raw SQL ms':>11} {'ratio':>6} {'queries':>8}")
    ok = True
    for label, served, raw, count in rows:
        ratio = served / raw if raw else float("inf")
        ok &= served < TARGET_MS and ratio <= TARGET_RATIO
        print(f"{label:34} {served:10.0f} {raw:11.0f} {ratio:6.2f} {count:8d}")
    print(f"targets: median < {TARGET_MS} ms and ≤ {TARGET_RATIO}× raw SQL: "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

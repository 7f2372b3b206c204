"""Caseload import benchmark: a 5,000-row KoBoToolbox-style export read, previewed and imported
(all rows, one transaction) into an existing registry.

    python bench/caseload_import.py [--rows 5000] [--existing 2000] [--database-url URL]

Runs on a temporary SQLite database (or the given empty PostgreSQL database) with throwaway
keys; prints the seconds of each step and the target (the whole import < 60 s on 2 cores).
Synthetic names only."""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from icrs import create_app  # noqa: E402
from icrs.config import TestingConfig  # noqa: E402
from icrs.extensions import db  # noqa: E402
from tests import factories  # noqa: E402
from tests.people.caseload_files import kobo_rows, to_csv, to_xlsx  # noqa: E402

TARGET = 60.0


def make_app(url):
    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Cfg)


def run(rows, existing, url, fmt):
    from icrs.people.imports import mapping as maps
    from icrs.people.imports.plan import apply_import, plan_import
    from icrs.people.imports.reader import read_table

    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        make = factories.Factory("bench password 123")
        site = make.site("MER", "EN")
        supervisor = make.user("supervisor", region=make.region("EN"))
        db.session.commit()
        if existing:  # a registry already holding people, so the duplicate check has work
            table = read_table(to_csv(kobo_rows(existing + rows)[rows:]), "old.csv")
            apply_import(supervisor, site, table, maps.suggest(table.headers))
            db.session.commit()
        data = to_xlsx(kobo_rows(rows)) if fmt == "xlsx" else to_csv(kobo_rows(rows))
        times = {}
        start = time.perf_counter()
        table = read_table(data, f"export.{fmt}")
        times["read"] = time.perf_counter() - start
        fields = maps.suggest(table.headers)
        start = time.perf_counter()
        plan = plan_import(supervisor, table, fields)
        times["preview"] = time.perf_counter() - start
        start = time.perf_counter()
        apply_import(supervisor, site, table, fields)
        db.session.commit()
        times["apply"] = time.perf_counter() - start
        assert len(plan.importable) == rows, plan.counts()
        db.session.remove()
        db.drop_all()
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--existing", type=int, default=2000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="icrs-bench-import-")
    url = args.database_url or f"sqlite:///{tmpdir}/bench.sqlite"
    times = run(args.rows, args.existing, url, args.format)
    total = times["read"] + times["apply"]  # apply re-reads and re-checks every row itself
    print(f"| {args.rows:,} rows ({args.format}), {args.existing:,} already registered | "
          f"{times['read']:.1f} | {times['preview']:.1f} | {times['apply']:.1f} | "
          f"{total:.1f} | < {TARGET:.0f} s | {'ok' if total < TARGET else 'MISS'} |")


if __name__ == "__main__":
    main()

"""Generate a large, realistic-looking ICRS dataset for benchmarks (dashboard, lists, exports).

    python bench/generate.py /tmp/icrs-bench.sqlite [--people 100000] [--referrals 300000]

The schema comes from the models (db.create_all, so every index the models declare is there);
rows go in with plain SQL bulk inserts (Core executemany, no ORM) in large transactions. The
encrypted *_ct columns get random bytes of a plausible length: nothing is really encrypted, so
pages that decrypt will fail on this data, which is the point for aggregate-only benchmarks.
Places, organisations, users and services are small; people, consents, stage changes,
follow-ups and referrals are large. Deterministic for a given --seed.
"""
import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from icrs import create_app  # noqa: E402
from icrs.config import TestingConfig  # noqa: E402
from icrs.extensions import db  # noqa: E402

DEFAULT_PATH = os.path.join(tempfile.gettempdir(), "icrs-bench.sqlite")
PASSWORD = "bench-password-1"  # noqa: S105 - throwaway benchmark accounts
REGIONS = [("EN", "CM004", "Extrême-Nord", "Far North"), ("NO", "CM006", "Nord", "North"),
           ("NW", "CM007", "Nord-Ouest", "North-West"), ("SW", "CM010", "Sud-Ouest", "South-West")]
SITES = {"EN": ["MER", "MOR", "MOK", "KOU"], "NO": ["GAR"], "NW": ["BAM", "KUM", "NDO"],
         "SW": ["BUE", "KBA"]}
STAGES = [("registered", 14), ("profiled", 12), ("planned", 12), ("referred", 16),
          ("in_service", 18), ("follow_up", 10), ("reintegrated", 10), ("suspended", 4),
          ("exited", 4)]
REFERRAL_STATUSES = [("draft", 4), ("sent", 9), ("accepted", 9), ("declined", 8),
                     ("in_service", 20), ("on_hold", 3), ("completed", 32),
                     ("not_completed", 9), ("withdrawn", 6)]
CATEGORIES = [("adult_man", 45), ("adult_woman", 30), ("caafag", 12),
              ("person_with_disability", 5), ("dependant", 8)]
EXIT_REASONS = ["dropped_out", "deceased", "transferred_out", "found_ineligible"]
SPAN_DAYS = 3 * 365 + 180  # registrations over the last three and a half years
START = dt.datetime.combine(dt.date.today() - dt.timedelta(days=SPAN_DAYS), dt.time())
STALE_DAYS = 120  # most referrals older than this have ended; a few stay open (overdue)
CHUNK = 20_000
# Indexes the dashboard needs that the models do not declare yet (proposed for the models; the
# generator adds them unless --no-proposed-indexes, so the benchmark shows both states).
PROPOSED_INDEXES = [
    "CREATE INDEX ix_person_dashboard ON person (registered_at, region_id, site_id, sex, "
    "category, birth_year, stage, caseworker_id)",
    "CREATE INDEX ix_person_dashboard_id ON person (id, region_id, site_id, sex, category, "
    "birth_year, erased_at)",
    "CREATE INDEX ix_referral_dashboard ON referral (sent_at, person_id, status, service_id, "
    "organisation_id, accepted_at, finished_at)",
    "CREATE INDEX ix_consent_withdrawn ON consent (withdrawn_at, person_id, purpose)",
]
FINISHED = [("declined", 8), ("completed", 32), ("not_completed", 9), ("withdrawn", 6)]


class BenchConfig(TestingConfig):
    TESTING = False
    DEBUG = True  # accepts the fixed secret key of TestingConfig
    SQLALCHEMY_DATABASE_URI = None
    ICRS_MASTER_KEY = "v1:" + "22" * 32  # throwaway: the generated ciphertexts are random
    ICRS_BLIND_INDEX_KEY = "33" * 32


def make_app(path):
    class Cfg(BenchConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{os.path.abspath(path)}"

    return create_app(Cfg)


def weighted(rng, choices, n):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights, k=n)


def _sqlite_value(value):
    """The value as SQLAlchemy stores it on SQLite (so the app reads it back unchanged)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def insert(conn, table_name, rows):
    """Bulk INSERT: plain executemany on the DB-API cursor for SQLite (no per-row SQLAlchemy
    processing), Core executemany elsewhere."""
    if not rows:
        return
    table = db.metadata.tables[table_name]
    if conn.dialect.name != "sqlite":
        for start in range(0, len(rows), CHUNK):
            conn.execute(table.insert(), rows[start:start + CHUNK])
        return
    columns = list(rows[0])
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "  # noqa: S608 - our own names
           f"VALUES ({', '.join('?' * len(columns))})")
    cursor = conn.connection.driver_connection.cursor()
    cursor.executemany(sql, ([_sqlite_value(row[c]) for c in columns] for row in rows))
    cursor.close()


def _ct(rng, size=40):
    """A random blob the size of a short AES-GCM ciphertext (version + nonce + data + tag)."""
    return rng.randbytes(size + rng.randrange(16))


# --- small reference data (ORM: a few rows, real password hashes, real taxonomy) ----------------
def places_and_people_in_charge(rng):
    from icrs.auth.models import User
    from icrs.auth.roles import Role
    from icrs.core.models import Region, Site
    from icrs.directory.taxonomy import ensure_taxonomy

    ensure_taxonomy()
    sites = []
    for code, pcode, fr, en in REGIONS:
        region = Region(code=code, pcode=pcode, name_fr=fr, name_en=en)
        db.session.add(region)
        for site_code in SITES[code]:
            sites.append(Site(code=site_code, name_fr=site_code.title(),
                              name_en=site_code.title(), region=region))
    db.session.add_all(sites)
    db.session.flush()
    users = [User(username="national", full_name="National supervisor", role=Role.SUPERVISOR),
             User(username="admin", full_name="Administrator", role=Role.ADMIN)]
    for site in sites:
        users += [User(username=f"cw-{site.code.lower()}-{i}", full_name=f"Caseworker {site.code} "
                       f"{i}", role=Role.CASEWORKER, site=site) for i in range(1, 4)]
    for region in {s.region for s in sites}:
        users.append(User(username=f"sup-{region.code.lower()}", role=Role.SUPERVISOR,
                          full_name=f"Supervisor {region.code}", region=region))
    for user in users:
        user.set_password(PASSWORD)
    db.session.add_all(users)
    db.session.commit()
    workers = {}
    for user in users:
        if user.role == Role.CASEWORKER:
            workers.setdefault(user.site_id, []).append(user.id)
    return [(s.id, s.region_id, s.code, s.region.code) for s in sites], workers


def directory(conn, rng, organisations=30, services=120):
    from icrs.directory.taxonomy import service_categories

    categories = [t.id for t in service_categories()]
    now = dt.datetime.now()
    orgs = [{"id": uuid.uuid4(), "name": f"Organisation {i:03d}", "type": "ngo",
             "description": "", "active": True, "created_at": now, "updated_at": now}
            for i in range(organisations)]
    insert(conn, "organisation", orgs)
    rows = []
    for i in range(services):
        rows.append({"id": uuid.uuid4(), "organisation_id": orgs[i % organisations]["id"],
                     "category_id": categories[i % len(categories)], "name": f"Service {i:03d}",
                     "description": "", "status": "active", "application_process": "",
                     "eligibility_description": "", "serves_female": True, "serves_male": True,
                     "referral_method": "icrs", "created_at": now, "updated_at": now})
    insert(conn, "service", rows)
    return [(r["id"], r["organisation_id"]) for r in rows]


# --- the large tables ---------------------------------------------------------------------------
def people(conn, rng, n, sites, workers):
    stages = weighted(rng, STAGES, n)
    categories = weighted(rng, CATEGORIES, n)
    rows, counters = [], {}
    for i in range(n):
        site_id, region_id, site_code, region_code = sites[i % len(sites)]
        registered = START + dt.timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        key = (site_code, registered.year)
        counters[key] = counters.get(key, 0) + 1
        category = categories[i]
        sex = ("female" if category == "adult_woman" else "male" if category == "adult_man"
               else rng.choice(("female", "male")))
        rows.append({
            "id": uuid.uuid4(), "site_id": site_id, "region_id": region_id,
            "case_number": f"{region_code}-{site_code}-{registered.year}-{counters[key]:05d}",
            "caseworker_id": rng.choice(workers[site_id]) if rng.random() < 0.95 else None,
            "stage": stages[i], "stage_changed_at": registered, "registered_at": registered,
            "sex": sex, "category": category, "languages": ["fr"],
            "birth_year": None if rng.random() < 0.03 else rng.randint(1960, 2015),
            "birth_date_estimated": False, "version": 1,
            "first_name_ct": _ct(rng), "last_name_ct": _ct(rng), "phone_ct": _ct(rng),
            "birth_date_ct": _ct(rng, 30), "name_bidx": rng.getrandbits(31),
            "consent_withdrawn_at": registered + dt.timedelta(days=30)
            if rng.random() < 0.02 else None,
        })
    insert(conn, "person", rows)
    return [(r["id"], r["registered_at"], r["stage"]) for r in rows]


def consents_and_history(conn, rng, persons, recorder):
    consents, changes = [], []
    for person_id, registered, stage in persons:
        for purpose in ("registration", "storage"):
            withdrawn = registered + dt.timedelta(days=rng.randrange(1, 400)) \
                if rng.random() < 0.015 else None
            consents.append({"id": uuid.uuid4(), "person_id": person_id, "purpose": purpose,
                             "text_version": "2025-1", "method": "signed",
                             "given_at": registered, "recorded_by_id": recorder,
                             "withdrawn_at": withdrawn})
        at = registered + dt.timedelta(days=rng.randrange(1, 300))
        changes.append({"person_id": person_id, "from_stage": "registered", "to_stage": stage,
                        "at": at, "actor_id": recorder,
                        "reason": rng.choice(EXIT_REASONS) if stage == "exited" else None})
    insert(conn, "consent", consents)
    insert(conn, "stage_change", changes)


def follow_ups(conn, rng, persons, recorder, n):
    today = dt.date.today()
    rows = []
    for _ in range(n):
        person_id, registered, _stage = rng.choice(persons)
        due = registered.date() + dt.timedelta(days=rng.randrange(10, 500))
        done = (dt.datetime.combine(due, dt.time(10)) if rng.random() < 0.75 and due < today
                else None)
        rows.append({"id": uuid.uuid4(), "person_id": person_id, "due_date": due,
                     "purpose": "", "created_at": registered, "created_by_id": recorder,
                     "done_at": done, "assigned_to_id": recorder,
                     "outcome_ct": _ct(rng) if done else None})
    insert(conn, "follow_up", rows)


def referrals(conn, rng, persons, services, creator, n):
    statuses = weighted(rng, REFERRAL_STATUSES, n)
    finished = weighted(rng, FINISHED, n)
    stale = dt.datetime.now() - dt.timedelta(days=STALE_DAYS)
    rows = []
    for i in range(n):
        person_id, registered, _stage = persons[rng.randrange(len(persons))]
        service_id, organisation_id = services[rng.randrange(len(services))]
        created = registered + dt.timedelta(days=rng.randrange(5, 200), hours=rng.randrange(24))
        status = statuses[i]
        if created < stale and status not in dict(FINISHED) and rng.random() < 0.97:
            status = finished[i]
        rows.append(_referral(rng, status, person_id, created, service_id, organisation_id,
                              creator))
    insert(conn, "referral", rows)


def _referral(rng, status, person_id, created, service_id, organisation_id, creator):
    sent = None if status == "draft" else created + dt.timedelta(hours=rng.randrange(1, 48))
    accepted = responded = finished = None
    if status in ("accepted", "in_service", "on_hold", "completed", "not_completed") or (
            status == "withdrawn" and rng.random() < 0.5):
        accepted = responded = sent + dt.timedelta(hours=rng.randrange(1, 24 * 20))
    if status == "declined":
        responded = finished = sent + dt.timedelta(hours=rng.randrange(1, 24 * 20))
    if status in ("completed", "not_completed", "withdrawn"):
        finished = (accepted or sent or created) + dt.timedelta(days=rng.randrange(3, 150))
    return {
        "id": uuid.uuid4(), "person_id": person_id, "service_id": service_id,
        "organisation_id": organisation_id, "created_by_id": creator, "created_at": created,
        "priority": rng.choice(("normal", "normal", "normal", "urgent", "emergency")),
        "status": status, "share": [], "holds_slot": status in ("accepted", "in_service",
                                                                  "on_hold"),
        "version": 1, "sent_at": sent, "responded_at": responded, "accepted_at": accepted,
        "finished_at": finished,
        "accept_by": sent + dt.timedelta(days=14) if sent else None,
        "complete_by": (sent + dt.timedelta(days=90)).date() if sent else None,
        "decline_reason": "no_capacity" if status == "declined" else None,
        "outcome": {"completed": "served", "not_completed": "no_show"}.get(status),
        "reason_ct": _ct(rng, 80), "packet_ct": _ct(rng, 300) if sent else None,
    }


def generate(path, n_people=100_000, n_referrals=300_000, n_follow_ups=100_000, seed=7,
             proposed_indexes=True):
    """Create `path` (replacing it) and fill it; returns the seconds it took."""
    started = time.perf_counter()
    if os.path.exists(path):
        os.remove(path)
    rng = random.Random(seed)
    app = make_app(path)
    with app.app_context():
        db.create_all()
        sites, workers = places_and_people_in_charge(rng)
        recorder = next(iter(workers.values()))[0]
        with db.engine.begin() as conn:
            # a throwaway file: no durability, and a page cache large enough for the random
            # UUID keys of the indexes (the default 2 MB thrashes)
            for pragma in ("synchronous=OFF", "journal_mode=MEMORY", "cache_size=-1000000"):
                conn.exec_driver_sql(f"PRAGMA {pragma}")
            services = directory(conn, rng)
            persons = people(conn, rng, n_people, sites, workers)
            consents_and_history(conn, rng, persons, recorder)
            follow_ups(conn, rng, persons, recorder, n_follow_ups)
            referrals(conn, rng, persons, services, recorder, n_referrals)
        with db.engine.begin() as conn:
            for statement in PROPOSED_INDEXES if proposed_indexes else []:
                conn.exec_driver_sql(statement)
            conn.exec_driver_sql("ANALYZE")
        db.engine.dispose()
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=DEFAULT_PATH)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=300_000)
    parser.add_argument("--follow-ups", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-proposed-indexes", action="store_true",
                        help="only the indexes the models declare")
    args = parser.parse_args(argv)
    seconds = generate(args.path, args.people, args.referrals, args.follow_ups, args.seed,
                       not args.no_proposed_indexes)
    print(f"{args.path}: {args.people:,} people, {args.referrals:,} referrals, "
          f"{args.follow_ups:,} follow-ups in {seconds:.1f} s")


if __name__ == "__main__":
    main()

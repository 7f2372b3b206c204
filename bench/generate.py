"""Generate (or reuse) a large ICRS dataset for benchmarks, in SQLite or PostgreSQL.

    python bench/generate.py [TARGET] [--people 100000] [--referrals 300000] [--services 1000]

TARGET is a SQLite path or a postgresql:// URL (default: a SQLite file in the temp directory
named after the sizes). The schema comes from the models (db.create_all, every index the models
declare); rows go in with bulk inserts (executemany on SQLite, COPY on PostgreSQL) in large
transactions. A `bench_meta` table records the generator version and the row counts: a target
that already holds the same dataset is reused, anything else is rebuilt.

The personal data that pages show is really encrypted the way the app does it: each person has
a data key (DEK) wrapped under a throwaway master key (KEK, `BenchConfig`), and names, birth
date, phone, ID number, address, case notes, plan goals, follow-up outcomes, profile answers,
referral reasons and packets are AES-GCM ciphertexts bound to table, column and row (through
icrs.crypto.envelope). ID numbers, phones and names carry real blind indexes, so "search by ID
number" works. Not generated (not on the measured pages): the section copies inside submitted
profile versions (versions carry their coded answers), audit history.
"""
import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import types
import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from icrs import create_app  # noqa: E402
from icrs.config import TestingConfig  # noqa: E402
from icrs.crypto import envelope  # noqa: E402
from icrs.crypto.blind import compute, normalise  # noqa: E402
from icrs.extensions import db  # noqa: E402

GENERATOR_VERSION = 5  # bump when the data layout changes: older datasets are rebuilt
PASSWORD = "bench-password-1"  # noqa: S105 - throwaway benchmark accounts
API_TOKEN = "icrs_bench-throwaway-token"  # noqa: S105 - throwaway HSDS token of the bench DB
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
CLOSED_STAGES = {"suspended", "exited", "reintegrated"}  # keep stage_before (CHECK)
EXIT_REASONS = ["dropped_out", "deceased", "transferred_out", "found_ineligible"]
FIRST = {"female": ["Aïssatou", "Hadidja", "Fadimatou", "Mairamou", "Hawa", "Ramatou", "Zara",
                    "Bih", "Ngozi", "Mercy", "Blessing", "Comfort", "Esther", "Grace"],
         "male": ["Abdoulaye", "Moussa", "Oumarou", "Ibrahim", "Aboubakar", "Hamadou", "Issa",
                  "Emmanuel", "Che", "Ndifor", "Tebo", "Fru", "Akwo", "Godlove"]}
LAST = ["Bello", "Mahamat", "Adamou", "Abba", "Goni", "Modou", "Kaou", "Djidda", "Ngwa",
        "Tanyi", "Nkwenti", "Fomba", "Ayuk", "Enow", "Tabe", "Mbah", "Achu", "Ndi"]
TOWNS = ["Kolofata", "Amchidé", "Mozogo", "Mora", "Kousseri", "Garoua", "Batibo", "Ndop",
         "Kumbo", "Muyuka", "Buea", "Kumba"]
SPAN_DAYS = 3 * 365 + 180  # registrations over the last three and a half years
START = dt.datetime.combine(dt.date.today() - dt.timedelta(days=SPAN_DAYS), dt.time())
STALE_DAYS = 120  # most referrals older than this have ended; a few stay open (overdue)
CHUNK = 20_000
FINISHED = [("declined", 8), ("completed", 32), ("not_completed", 9), ("withdrawn", 6)]
PROFILED = {"profiled", "planned", "referred", "in_service", "follow_up", "reintegrated",
            "suspended", "exited"}
PLANNED = PROFILED - {"profiled"}


class BenchConfig(TestingConfig):
    TESTING = False
    DEBUG = True  # accepts the fixed secret key of TestingConfig
    SQLALCHEMY_DATABASE_URI = None
    # throwaway keys of the benchmark datasets only (never a deployment's)
    ICRS_MASTER_KEY = "v1:" + "22" * 32
    ICRS_BLIND_INDEX_KEY = "33" * 32
    ICRS_AUDIT_KEY = "44" * 32
    ICRS_LOGIN_RATE_LIMIT = "100000 per minute"


def default_target(n_people, n_referrals, n_services):
    return os.path.join(tempfile.gettempdir(),
                        f"icrs-bench-{n_people}p-{n_referrals}r-{n_services}s.sqlite")


def database_url(target):
    return target if "://" in target else f"sqlite:///{os.path.abspath(target)}"


def make_app(target):
    class Cfg(BenchConfig):
        SQLALCHEMY_DATABASE_URI = database_url(target)

    return create_app(Cfg)


def weighted(rng, choices, n):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights, k=n)


def id_number(i):
    """The (deterministic) ID card number of generated person number i: the benchmark searches
    for it without decrypting anything."""
    return f"{(100_000_000 + i * 7919) % 1_000_000_000:09d}"


# --- inserts ------------------------------------------------------------------------------------
def _json(value):
    return None if value is None else json.dumps(value)


def _converters(table, columns, dialect):
    """Per column, how a Python value is stored (as SQLAlchemy stores it, so the app reads it
    back unchanged); chosen once per table from the column types, not per value."""
    import sqlalchemy as sa

    def pick(column_type):
        if isinstance(column_type, sa.JSON):
            return _json
        if dialect == "postgresql":
            return None
        if isinstance(column_type, sa.Uuid):
            return lambda v: None if v is None else v.hex
        if isinstance(column_type, sa.DateTime):
            return lambda v: None if v is None else v.isoformat(" ", "microseconds")
        if isinstance(column_type, sa.Date):
            return lambda v: None if v is None else v.isoformat()
        return None  # bool, int, str, bytes: the driver stores them as they are

    return [pick(table.c[name].type) for name in columns]


def _tuples(rows, columns, converters):
    pairs = list(zip(columns, converters, strict=True))
    if all(conv is None for _, conv in pairs):
        return ([row[c] for c in columns] for row in rows)
    return ([row[c] if conv is None else conv(row[c]) for c, conv in pairs] for row in rows)


def insert(conn, table_name, rows):
    """Bulk INSERT without per-row SQLAlchemy processing: executemany on the SQLite DB-API
    cursor, COPY on PostgreSQL."""
    if not rows:
        return
    table = db.metadata.tables[table_name]
    columns = list(rows[0])
    values = _tuples(rows, columns, _converters(table, columns, conn.dialect.name))
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "  # noqa: S608 - our own names
           f"VALUES ({', '.join('?' * len(columns))})")
    cursor = raw.cursor()
    cursor.executemany(sql, values)
    cursor.close()


class Sealer:
    """Real field encryption with per-person DEKs, as icrs.crypto.fields does it."""

    def __init__(self, keyring):
        self.keyring = keyring
        self.ciphers = {}
        self.key_rows = []
        self.created = dt.datetime.now()

    def new_owner(self, owner_id):
        dek = os.urandom(32)
        wrapped, version = envelope.wrap_dek(self.keyring, owner_id, dek)
        self.ciphers[owner_id] = AESGCM(dek)
        self.key_rows.append({"owner_id": owner_id, "wrapped_dek": wrapped,
                              "kek_version": version, "created_at": self.created})

    def seal(self, owner_id, table, column, row_id, value):
        if value is None:
            return None
        if isinstance(value, dt.date):
            data = value.isoformat().encode("ascii")
        elif isinstance(value, str):
            data = value.encode("utf-8")
        else:
            data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                              allow_nan=False).encode("utf-8")
        return envelope.encrypt_field(self.ciphers[owner_id], data, table, column, row_id)

    def bidx(self, kind, raw):
        value = normalise(kind, raw)
        return None if value is None else compute(self.keyring.blind_key(kind), value)


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
    users[0].set_password(PASSWORD)
    for user in users[1:]:
        user.password_hash = users[0].password_hash  # one argon2 hash for all: same password
    db.session.add_all(users)
    db.session.commit()
    workers = {}
    for user in users:
        if user.role == Role.CASEWORKER:
            workers.setdefault(user.site_id, []).append(user.id)
    return [(s.id, s.region_id, s.code, s.region.code) for s in sites], workers, users[0]


def providers_and_token(organisation_ids, hashed):
    """A provider login for the first organisations, and the HSDS API token."""
    from icrs.auth.models import User
    from icrs.auth.roles import Role
    from icrs.directory.models import ApiToken
    from icrs.directory.services import hash_token

    for i, org_id in enumerate(organisation_ids[:5]):
        db.session.add(User(username=f"provider-{i}", full_name=f"Provider {i}",
                            role=Role.PROVIDER, organisation_id=org_id, password_hash=hashed))
    db.session.add(ApiToken(label="bench", token_hash=hash_token(API_TOKEN)))
    db.session.commit()


def directory(conn, rng, n_services):
    from icrs.directory.taxonomy import service_categories

    categories = [(t.id, t.code) for t in service_categories()]
    now = dt.datetime.now()
    n_orgs = max(1, n_services // 5)
    orgs = [{"id": uuid.uuid4(), "name": f"Organisation {i:04d}", "type": "ngo",
             "description": f"Partner organisation {i} of the reintegration programme.",
             "active": True, "created_at": now, "updated_at": now}
            for i in range(n_orgs)]
    insert(conn, "organisation", orgs)
    rows, regions = [], []
    region_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM region").all()]
    for i in range(n_services):
        category_id, code = categories[i % len(categories)]
        rows.append({"id": uuid.uuid4(), "organisation_id": orgs[i % n_orgs]["id"],
                     "category_id": category_id, "name": f"Service {i:04d}",
                     "description": "Support for people leaving armed groups.",
                     "status": "active", "application_process": "Referral by a caseworker.",
                     "eligibility_description": "", "serves_female": True, "serves_male": True,
                     "referral_method": "icrs", "capacity": 50, "open_slots": 10,
                     "created_at": now, "updated_at": now})
        regions.append({"service_id": rows[-1]["id"], "region_id": rng.choice(region_ids)})
    insert(conn, "service", rows)
    insert(conn, "service_region", regions)
    return [(r["id"], r["organisation_id"], code) for r, (_, code)
            in zip(rows, (categories[i % len(categories)] for i in range(n_services)),
                   strict=True)], [o["id"] for o in orgs]


# --- the large tables ---------------------------------------------------------------------------
def people(conn, rng, sealer, n, sites, workers):
    stages = weighted(rng, STAGES, n)
    categories = weighted(rng, CATEGORIES, n)
    rows, counters, persons = [], {}, []
    for i in range(n):
        site_id, region_id, site_code, region_code = sites[i % len(sites)]
        registered = START + dt.timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        key = (site_code, registered.year)
        counters[key] = counters.get(key, 0) + 1
        category = categories[i]
        sex = ("female" if category == "adult_woman" else "male" if category == "adult_man"
               else rng.choice(("female", "male")))
        birth_year = rng.randint(1965, 2012) if rng.random() > 0.03 else None
        birth_date = (dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
                      if birth_year else None)
        first, last = rng.choice(FIRST[sex]), rng.choice(LAST)
        phone = f"+2376{rng.randrange(10**7, 10**8)}" if rng.random() < 0.7 else None
        pid = uuid.uuid4()
        sealer.new_owner(pid)

        def seal(column, value, pid=pid):
            return sealer.seal(pid, "person", column, pid, value)

        number = id_number(i)
        rows.append({
            "id": pid, "site_id": site_id, "region_id": region_id,
            "case_number": f"{region_code}-{site_code}-{registered.year}-{counters[key]:05d}",
            "caseworker_id": rng.choice(workers[site_id]) if rng.random() < 0.95 else None,
            "stage": stages[i],
            "stage_before": "registered" if stages[i] in CLOSED_STAGES else None,
            "stage_changed_at": registered, "registered_at": registered,
            "sex": sex, "category": category, "languages": ["fr"],
            "birth_year": birth_year, "birth_date_estimated": False, "version": 1,
            "first_name_ct": seal("first_name", first), "last_name_ct": seal("last_name", last),
            "phone_ct": seal("phone", phone), "birth_date_ct": seal("birth_date", birth_date),
            "id_number_ct": seal("id_number", number),
            "address_ct": seal("address", f"Quartier {rng.randrange(1, 40)}, "
                                          f"{rng.choice(TOWNS)}"),
            "id_number_bidx": sealer.bidx("id_number", number),
            "phone_bidx": sealer.bidx("phone", phone),
            "name_year_bidx": sealer.bidx("name_year", (f"{first} {last}", birth_year)),
            "name_bidx": sealer.bidx("name_year", (f"{first} {last}", None)),
            "consent_withdrawn_at": registered + dt.timedelta(days=30)
            if rng.random() < 0.02 else None,
        })
        persons.append(types.SimpleNamespace(
            id=pid, registered_at=registered, stage=stages[i], sex=sex, category=category,
            birth_year=birth_year, region_code=region_code, first_name=first,
            region_id=region_id, site_id=site_id,
            case_number=rows[-1]["case_number"],
            caseworker_id=rows[-1]["caseworker_id"]))
    insert(conn, "person", rows)
    return persons


def consents_and_history(conn, rng, persons, recorder):
    consents, changes = [], []
    for p in persons:
        for purpose in ("registration", "storage"):
            withdrawn = p.registered_at + dt.timedelta(days=rng.randrange(1, 400)) \
                if rng.random() < 0.015 else None
            consents.append({"id": uuid.uuid4(), "person_id": p.id, "purpose": purpose,
                             "text_version": "2025-1", "method": "signed",
                             "given_at": p.registered_at, "recorded_by_id": recorder,
                             "withdrawn_at": withdrawn})
        at = p.registered_at + dt.timedelta(days=rng.randrange(1, 300))
        changes.append({"person_id": p.id, "from_stage": "registered", "to_stage": p.stage,
                        "at": at, "actor_id": recorder,
                        "reason": rng.choice(EXIT_REASONS) if p.stage == "exited" else None})
    insert(conn, "consent", consents)
    insert(conn, "stage_change", changes)


def casework(conn, rng, sealer, persons, recorder):
    """A counselling note and a plan for the people past profiling."""
    notes, plans, goals = [], [], []
    pathways = ["agriculture", "livestock", "small_business", "vocational_training"]
    for p in persons:
        if p.stage not in PLANNED:
            continue
        at = p.registered_at + dt.timedelta(days=rng.randrange(5, 60))
        note_id, plan_id, goal_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        notes.append({"id": note_id, "person_id": p.id, "kind": "counselling",
                      "author_id": recorder, "created_at": at,
                      "text_ct": sealer.seal(p.id, "note", "text", note_id,
                                             "Discussed options near the family; motivated.")})
        plans.append({"id": plan_id, "person_id": p.id, "number": 1, "status": "agreed",
                      "pathway": rng.choice(pathways), "counselling_note_id": note_id,
                      "created_by_id": recorder, "created_at": at, "updated_at": at,
                      "agreed_on": at.date(), "agreement_method": "signed",
                      "agreement_recorded_by_id": recorder, "agreed_at": at})
        goals.append({"id": goal_id, "version_id": plan_id, "person_id": p.id, "position": 0,
                      "text_ct": sealer.seal(p.id, "plan_goal", "text", goal_id,
                                             "Six months of training, then a starter kit.")})
    insert(conn, "note", notes)
    insert(conn, "plan_version", plans)
    insert(conn, "plan_goal", goals)


def profiles(conn, rng, sealer, persons, recorder):
    """A complete, submitted profile (draft with every section, version 1) per profiled person."""
    from icrs.demo.profiles import demo_answers
    from icrs.profiling.flags import derive_flags
    from icrs.profiling.sections import SECTIONS
    from icrs.profiling.services import coded_answers

    this_year = dt.date.today().year
    drafts, versions, sections = [], [], []
    for p in persons:
        if p.stage not in PROFILED:
            continue
        fake = types.SimpleNamespace(region=types.SimpleNamespace(code=p.region_code),
                                     sex=p.sex, category=p.category,
                                     age=this_year - p.birth_year if p.birth_year else None)
        answers = demo_answers(fake, rng)
        at = p.registered_at + dt.timedelta(days=rng.randrange(1, 20))
        draft_id, version_id = uuid.uuid4(), uuid.uuid4()
        drafts.append({"id": draft_id, "person_id": p.id, "dirty": False, "updated_at": at,
                       "updated_by_id": recorder, "version": len(SECTIONS) + 1})
        coded = coded_answers(answers)
        coded["preferred_option"] = getattr(coded["preferred_option"], "value", None)
        versions.append({"id": version_id, "person_id": p.id, "number": 1, "submitted_at": at,
                         "submitted_by_id": recorder,
                         "changed_sections": [s.code for s in SECTIONS], "complete": True,
                         "is_current": True, "vulnerability_flags": derive_flags(
                             {"age": fake.age, "sex": p.sex}, answers), **coded})
        for section in SECTIONS:
            row_id = uuid.uuid4()
            missing = section.missing(answers[section.code])
            sections.append({"id": row_id, "person_id": p.id, "draft_id": draft_id,
                             "version_id": None, "section": section.code,
                             "answers_ct": sealer.seal(p.id, "profile_section", "answers",
                                                       row_id, answers[section.code]),
                             "answered": len(section.required) - len(missing),
                             "missing": missing, "saved_at": at, "saved_by_id": recorder})
    insert(conn, "profile_draft", drafts)
    insert(conn, "profile_version", versions)
    insert(conn, "profile_section", sections)


def follow_ups(conn, rng, sealer, persons, recorder, n):
    today = dt.date.today()
    rows = []
    for _ in range(n):
        p = persons[rng.randrange(len(persons))]
        due = p.registered_at.date() + dt.timedelta(days=rng.randrange(10, 500))
        done = (dt.datetime.combine(due, dt.time(10)) if rng.random() < 0.75 and due < today
                else None)
        row_id = uuid.uuid4()
        rows.append({"id": row_id, "person_id": p.id, "due_date": due,
                     "purpose": "Visit at home", "created_at": p.registered_at,
                     "created_by_id": recorder, "done_at": done, "assigned_to_id": recorder,
                     "outcome_ct": sealer.seal(p.id, "follow_up", "outcome", row_id,
                                               "Seen at home; doing well.") if done else None})
    insert(conn, "follow_up", rows)


def referrals(conn, rng, sealer, persons, services, creator, n):
    statuses = weighted(rng, REFERRAL_STATUSES, n)
    finished = weighted(rng, FINISHED, n)
    stale = dt.datetime.now() - dt.timedelta(days=STALE_DAYS)
    rows, events, sharing = [], [], {}
    for i in range(n):
        p = persons[rng.randrange(len(persons))]
        service_id, organisation_id, category = services[rng.randrange(len(services))]
        created = p.registered_at + dt.timedelta(days=rng.randrange(5, 200),
                                                 hours=rng.randrange(24))
        status = statuses[i]
        if created < stale and status not in dict(FINISHED) and rng.random() < 0.97:
            status = finished[i]
        row = _referral(rng, status, p, created, service_id, organisation_id, creator)
        if row["sent_at"] is not None:
            consent = sharing.get((p.id, category))
            if consent is None:
                consent = sharing[(p.id, category)] = {
                    "id": uuid.uuid4(), "person_id": p.id, "purpose": "sharing",
                    "service_category": category, "text_version": "2025-1",
                    "method": "signed", "given_at": created, "recorded_by_id": creator,
                    "withdrawn_at": None}
            row["consent_id"] = consent["id"]
            row["packet_ct"] = sealer.seal(p.id, "referral", "packet", row["id"], {
                "case_number": p.case_number, "sex": p.sex, "reason": "Wants to learn a trade.",
                "needs": "", "first_name": p.first_name, "age_band": "25–35",
                "languages": ["fr"]})
            events += _events(row, p.id, creator)
        row["reason_ct"] = sealer.seal(p.id, "referral", "reason", row["id"],
                                       "Wants to learn a trade near home.")
        rows.append(row)
    insert(conn, "consent", list(sharing.values()))
    insert(conn, "referral", rows)
    insert(conn, "referral_event", events)


def _events(row, person_id, actor):
    def event(from_status, to_status, at):
        return {"id": uuid.uuid4(), "referral_id": row["id"], "person_id": person_id,
                "kind": "status", "from_status": from_status, "to_status": to_status,
                "at": at, "actor_id": actor}

    out = [event("draft", "sent", row["sent_at"])]
    if row["accepted_at"]:
        out.append(event("sent", "accepted", row["accepted_at"]))
    if row["finished_at"] or row["status"] not in ("sent", "accepted"):
        out.append(event("accepted" if row["accepted_at"] else "sent", row["status"],
                         row["finished_at"] or row["responded_at"] or row["sent_at"]))
    return out


def _referral(rng, status, person, created, service_id, organisation_id, creator):
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
        "id": uuid.uuid4(), "person_id": person.id, "service_id": service_id,
        "person_region_id": person.region_id, "person_site_id": person.site_id,
        "person_sex": person.sex, "person_category": person.category,
        "person_birth_year": person.birth_year,
        "organisation_id": organisation_id, "created_by_id": creator, "created_at": created,
        "priority": rng.choice(("normal", "normal", "normal", "urgent", "emergency")),
        "status": status, "share": ["first_name", "age_band", "languages"],
        "holds_slot": status in ("accepted", "in_service", "on_hold"),
        "version": 1, "sent_at": sent, "responded_at": responded, "accepted_at": accepted,
        "finished_at": finished, "consent_id": None, "packet_ct": None,
        "accept_by": sent + dt.timedelta(days=14) if sent else None,
        "complete_by": (sent + dt.timedelta(days=90)).date() if sent else None,
        "decline_reason": "no_capacity" if status == "declined" else None,
        "outcome": {"completed": "served", "not_completed": "no_show"}.get(status),
    }


# --- create or reuse ----------------------------------------------------------------------------
def wanted_meta(n_people, n_referrals, n_services, n_follow_ups, seed):
    return {"generator": str(GENERATOR_VERSION), "people": str(n_people),
            "referrals": str(n_referrals), "services": str(n_services),
            "follow_ups": str(n_follow_ups), "seed": str(seed)}


def stored_meta(url):
    import sqlalchemy as sa
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("bench_meta"):
                return {}
            return dict(conn.exec_driver_sql("SELECT key, value FROM bench_meta").all())
    except sa.exc.OperationalError:
        return {}
    finally:
        engine.dispose()


def reset(url):
    """An empty database at `url` (the file removed, or the PostgreSQL database recreated)."""
    import sqlalchemy as sa
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if os.path.exists(parsed.database):
            os.remove(parsed.database)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    admin.dispose()


def ensure(target, n_people=100_000, n_referrals=300_000, n_services=1000, n_follow_ups=None,
           seed=7, force=False, log=print):
    """Reuse the dataset at `target` if it is this one, else (re)generate it. Returns the
    generation time in seconds, or None when reused."""
    n_follow_ups = n_people if n_follow_ups is None else n_follow_ups
    url = database_url(target)
    want = wanted_meta(n_people, n_referrals, n_services, n_follow_ups, seed)
    have = stored_meta(url)
    have.pop("seconds", None)
    if not force and have == want:
        log(f"reusing {target}")
        add_missing_indexes(url, log)
        return None
    log(f"generating {target}: {n_people:,} people, {n_referrals:,} referrals, "
        f"{n_services:,} services …")
    seconds = generate(url, n_people, n_referrals, n_services, n_follow_ups, seed, log)
    with db_engine(url).begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_meta (key VARCHAR(32) PRIMARY KEY, "
                             "value VARCHAR(64) NOT NULL)")
        for key, value in {**want, "seconds": f"{seconds:.0f}"}.items():
            conn.exec_driver_sql("INSERT INTO bench_meta (key, value) VALUES "
                                 f"('{key}', '{value}')")  # our own constants
    log(f"generated {target} in {seconds:.0f} s")
    return seconds


def add_missing_indexes(url, log=print):
    """Indexes the models declare that the stored dataset lacks (added to the models after it
    was generated) are created in place, and those they no longer declare dropped: a changed
    index does not mean a new dataset."""
    import sqlalchemy as sa
    make_app(url)  # imports every model, so the metadata is complete
    engine = db_engine(url)
    with engine.begin() as conn:
        have = {t: {i["name"] for i in sa.inspect(conn).get_indexes(t)}
                for t in sa.inspect(conn).get_table_names()}
        added = [index for table in db.metadata.sorted_tables for index in table.indexes
                 if index.name not in have.get(table.name, set())]
        for index in added:
            started = time.perf_counter()
            index.create(conn)
            log(f"  index {index.name} added ({time.perf_counter() - started:.1f} s)")
        declared = {index.name for table in db.metadata.sorted_tables for index in table.indexes}
        dropped = sorted(name for names in have.values() for name in names
                         if name.startswith("ix_") and name not in declared)
        for name in dropped:  # as a migration dropped them
            conn.exec_driver_sql(f"DROP INDEX {name}")  # our own index names
            log(f"  index {name} dropped")
        if added or dropped:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def db_engine(url):
    import sqlalchemy as sa
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def generate(url, n_people, n_referrals, n_services, n_follow_ups, seed=7, log=print):
    """Create the database at `url` (replacing it) and fill it; returns the seconds it took."""
    started = time.perf_counter()
    reset(url)
    rng = random.Random(seed)
    app = make_app(url)
    sealer = Sealer(app.extensions["icrs_crypto"].keyring)
    with app.app_context():
        db.create_all()
        sites, workers, national = places_and_people_in_charge(rng)
        recorder = next(iter(workers.values()))[0]
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # a throwaway file: no durability, and a page cache large enough for the random
                # UUID keys of the indexes (the default 2 MB thrashes). The journal stays WAL, as
                # the app sets it: leaving WAL needs the only connection to the file.
                for pragma in ("synchronous=OFF", "cache_size=-1000000"):
                    conn.exec_driver_sql(f"PRAGMA {pragma}")
            services, org_ids = directory(conn, rng, n_services)
            persons = _timed(log, "people", lambda: people(conn, rng, sealer, n_people, sites,
                                                           workers))
            _timed(log, "data keys", lambda: insert(conn, "data_key", sealer.key_rows))
            _timed(log, "consents, stages", lambda: consents_and_history(conn, rng, persons,
                                                                         recorder))
            _timed(log, "notes, plans", lambda: casework(conn, rng, sealer, persons, recorder))
            _timed(log, "profiles", lambda: profiles(conn, rng, sealer, persons, recorder))
            _timed(log, "follow-ups", lambda: follow_ups(conn, rng, sealer, persons, recorder,
                                                         n_follow_ups))
            _timed(log, "referrals", lambda: referrals(conn, rng, sealer, persons, services,
                                                       recorder, n_referrals))
        providers_and_token(org_ids, national.password_hash)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        db.engine.dispose()
    if url.startswith("postgresql"):
        engine = db_engine(url).execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        engine.dispose()
    return time.perf_counter() - started


def _timed(log, label, fn):
    started = time.perf_counter()
    result = fn()
    log(f"  {label}: {time.perf_counter() - started:.1f} s")
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", help="SQLite path or postgresql:// URL")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=None, help="default: 3 per person")
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--follow-ups", type=int, default=None, help="default: 1 per person")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args(argv)
    n_referrals = 3 * args.people if args.referrals is None else args.referrals
    target = args.target or default_target(args.people, n_referrals, args.services)
    ensure(target, args.people, n_referrals, args.services, args.follow_ups, args.seed,
           args.force)


if __name__ == "__main__":
    main()

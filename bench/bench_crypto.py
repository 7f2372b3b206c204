"""Crypto benchmark: per-field encrypt/decrypt, a 50-row list page, KEK rotation over 100k DEKs.

    python bench/bench_crypto.py [--deks 100000]

Runs on a temporary SQLite database with throwaway keys; prints a table with the targets
(decrypt < 50 µs/field, rotation of 100k DEKs < 30 s). No personal data involved.
"""
import argparse
import datetime
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app
from sqlalchemy.orm import DeclarativeBase, mapped_column

from icrs import crypto
from icrs.crypto import DataKey, datakeys, encrypted_column, envelope, rotation
from icrs.crypto.keyring import Keyring
from icrs.extensions import db


class BenchBase(DeclarativeBase):
    pass


class BenchPerson(BenchBase):
    __tablename__ = "bench_person"
    id = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    first_name = encrypted_column(str)
    last_name = encrypted_column(str)
    phone = encrypted_column(str)
    birth_date = encrypted_column(datetime.date)


def make_app(tmpdir):
    app = Flask("icrs_bench", instance_path=tmpdir)
    app.config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmpdir}/bench.sqlite",
                      ICRS_MASTER_KEY="v1:" + os.urandom(32).hex(),
                      ICRS_BLIND_INDEX_KEY=os.urandom(32).hex(),
                      ICRS_AUDIT_KEY=os.urandom(32).hex())
    db.init_app(app)
    crypto.init_app(app)
    return app


def median_us(fn, n):
    samples = []
    for _ in range(n):
        start = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def bench_primitives(rows):
    cipher, row = AESGCM(os.urandom(32)), uuid.uuid4()
    value = "Ngono Ebodé Marie-Claire".encode()
    token = envelope.encrypt_field(cipher, value, "person", "first_name", row)
    rows.append(("encrypt one field (primitive)", median_us(
        lambda: envelope.encrypt_field(cipher, value, "person", "first_name", row), 20000), "µs"))
    rows.append(("decrypt one field (primitive)", median_us(
        lambda: envelope.decrypt_field(cipher, token, "person", "first_name", row), 20000), "µs"))


def bench_orm_fields(rows):
    person = BenchPerson(first_name="warm-up")
    rows.append(("encrypt one field (model assignment)", median_us(
        lambda: setattr(person, "first_name", "Ngono Ebodé Marie-Claire"), 5000), "µs"))

    def read_cold():
        person.__dict__.pop("_icrs_plain", None)  # as if freshly loaded
        return person.first_name

    rows.append(("decrypt one field (attribute access)", median_us(read_cold, 5000), "µs"))
    db.session.rollback()


def seed_people(n):
    for i in range(n):
        db.session.add(BenchPerson(first_name=f"First{i}", last_name=f"Last{i}",
                                   phone=f"+23769912{i:04d}",
                                   birth_date=datetime.date(1990, 1, 1) + datetime.timedelta(i)))
    db.session.commit()


def list_page(preload):
    db.session.expunge_all()
    datakeys.forget_cached_keys()
    start = time.perf_counter()
    people = db.session.scalars(sa.select(BenchPerson).limit(50)).all()
    if preload:
        crypto.preload_keys(p.id for p in people)
    for p in people:
        _ = (p.first_name, p.last_name, p.phone, p.birth_date)
    return (time.perf_counter() - start) * 1000


def bench_list_page(rows):
    seed_people(50)
    for preload, label in ((True, "with preload_keys"), (False, "one key query per row")):
        ms = statistics.median(list_page(preload) for _ in range(30))
        rows.append((f"50-row page, 4 fields, {label} (incl. query)", ms, "ms"))


def seed_deks(n, keyring):
    table = DataKey.__table__
    dek = os.urandom(32)
    batch = []
    for _ in range(n):
        owner = uuid.uuid4()
        wrapped, version = envelope.wrap_dek(keyring, owner, dek)
        batch.append({"owner_id": owner, "wrapped_dek": wrapped, "kek_version": version,
                      "created_at": datetime.datetime(2025, 1, 1)})
        if len(batch) == 10000:
            db.session.execute(table.insert(), batch)
            batch = []
    if batch:
        db.session.execute(table.insert(), batch)
    db.session.commit()


def bench_rotation(rows, n):
    state = current_app.extensions["icrs_crypto"]
    seed_deks(n - db.session.scalar(sa.select(sa.func.count()).select_from(DataKey)),
              state.keyring)
    old = state.keyring
    state._keyring = Keyring({**old.keks, 2: os.urandom(32)}, old.blind_secret, "bench")
    start = time.perf_counter()
    done = rotation.rotate_deks(batch_size=2000)
    seconds = time.perf_counter() - start
    assert rotation.key_counts() == {2: n}, "rotation incomplete"
    rows.append((f"rotate KEK over {done:,} DEKs (batches of 2000)", seconds, "s"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deks", type=int, default=100_000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="icrs-bench-") as tmpdir:
        app = make_app(tmpdir)
        with app.app_context():
            DataKey.__table__.create(db.engine)
            BenchBase.metadata.create_all(db.engine)
            bench_primitives(rows)
            bench_orm_fields(rows)
            bench_list_page(rows)
            bench_rotation(rows, args.deks)
            db.session.remove()
            db.engine.dispose()
    print_table(rows)


def print_table(rows):
    print(f"{'measure':<58} {'value':>10}  unit")
    print("-" * 76)
    for label, value, unit in rows:
        print(f"{label:<58} {value:>10.2f}  {unit}")
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
          f"targets: decrypt < 50 µs/field, 100k-DEK rotation < 30 s")


if __name__ == "__main__":
    main()

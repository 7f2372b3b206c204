"""Consistent database backups: SQLite's online backup API, or pg_dump for PostgreSQL.

A backup holds the database only: personal fields stay encrypted and the per-person data keys stay
wrapped by the master key, which is never in the database. The key files are backed up separately,
so that a stolen backup alone reveals nothing."""
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump with a fixed argument list, no shell
import tempfile

from icrs.core.timeutil import utcnow

PG_RECIPE = """pg_dump is not installed here. On the database server run, as a user that can read
the database (password from ~/.pgpass or PGPASSWORD, never on the command line):

    pg_dump --format=custom --no-owner --file icrs-$(date -u +%Y%m%dT%H%M%SZ).dump DBNAME

Restore into an empty database with:  pg_restore --no-owner --dbname NEWDB FILE.dump
Back up the key files (instance/keys/) separately."""


class BackupError(RuntimeError):
    """The backup was not made; the message says why (no personal data in it)."""


def target_path(dest, suffix):
    """DEST may be a directory (a timestamped file is made in it) or a new file's path."""
    if os.path.isdir(dest):
        return os.path.join(dest, f"icrs-{utcnow():%Y%m%dT%H%M%SZ}{suffix}")
    return dest


def backup_sqlite(source_path, dest, force=False):
    """Copy a live SQLite database page by page inside one read transaction (consistent even
    while the app writes), check the copy, then move it into place, readable by the owner only."""
    if not os.path.exists(source_path):
        raise BackupError(f"database file not found: {source_path}")
    final = target_path(dest, ".sqlite")
    _refuse_overwrite(final, force)
    fd, tmp = tempfile.mkstemp(prefix=".icrs-backup-", dir=os.path.dirname(final) or ".")
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        _copy_sqlite(source_path, tmp)
        os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return final


def _copy_sqlite(source_path, tmp):
    src = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp)
    try:
        src.execute("PRAGMA busy_timeout=10000")
        src.backup(dst)
        # the copy carries the live database's WAL mode: one self-contained file instead
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
    finally:
        dst.close()
        src.close()


def backup_postgresql(url, dest, force=False):
    """Run pg_dump (custom format). Connection details go in the environment, not argv, so the
    password never shows in the process list."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(PG_RECIPE)
    final = target_path(dest, ".dump")
    _refuse_overwrite(final, force)
    env = dict(os.environ, **_libpq_env(url))
    tmp = final + ".part"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [pg_dump, "--format=custom", "--no-owner", "--file", tmp],
        env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    os.chmod(tmp, 0o600)
    os.replace(tmp, final)
    return final


def _libpq_env(url):
    pairs = {"PGHOST": url.host, "PGPORT": url.port, "PGUSER": url.username,
             "PGPASSWORD": url.password, "PGDATABASE": url.database}
    return {k: str(v) for k, v in pairs.items() if v}


def _refuse_overwrite(path, force):
    if os.path.exists(path) and not force:
        raise BackupError(f"{path} exists; choose another name or pass --force")

"""The instance folder: create instance/config.py with a random SECRET_KEY and the local
ICRS_BASE_URL if it is missing (run by `make run`), and keep the folder and the SQLite database
owner-only (checked at every start)."""
import logging
import os
import secrets
import stat
import sys

log = logging.getLogger(__name__)
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
DEMO_BASE_URL = "http://127.0.0.1:5000/"  # `make run`'s server


def ensure_instance_config(instance_dir: str, base_url: str = DEMO_BASE_URL) -> bool:
    """Create config.py (random SECRET_KEY, ICRS_BASE_URL of the local server); a config.py
    made before ICRS_BASE_URL was required gets that line added, nothing else is changed."""
    os.makedirs(instance_dir, mode=PRIVATE_DIR, exist_ok=True)
    path = os.path.join(instance_dir, "config.py")
    if os.path.exists(path):
        _add_base_url(path, base_url)
        return False
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("# Local settings for this machine; never commit this file.\n")
        fh.write(f"SECRET_KEY = {secrets.token_hex(32)!r}\n")
        fh.write(f"ICRS_BASE_URL = {base_url!r}  # e-mail links; the only host served\n")
    return True


def _add_base_url(path: str, base_url: str) -> None:
    with open(path) as fh:
        if "ICRS_BASE_URL" in fh.read():
            return
    with open(path, "a") as fh:
        fh.write(f"ICRS_BASE_URL = {base_url!r}  # e-mail links; the only host served\n")


def sqlite_path(url: str) -> str | None:
    """The database file of a SQLite URL (None for other databases and in-memory ones)."""
    prefix = "sqlite:///"
    if not url or not url.startswith(prefix):
        return None
    path = url[len(prefix):].split("?", 1)[0]
    return path if path and path != ":memory:" else None


def secure_instance(instance_dir: str, database_url: str | None) -> list[str]:
    """Files created from now on are owner-only (umask 077: SQLite gives its -wal and -shm the
    database's mode), and what exists already is repaired: the instance folder 0700, the
    database and its companion files 0600. Returns the paths whose mode was changed."""
    os.umask(0o077)
    targets = []
    if os.path.isdir(instance_dir):
        targets.append((instance_dir, PRIVATE_DIR))
    db_file = sqlite_path(database_url or "")
    if db_file:
        targets += [(db_file + suffix, PRIVATE_FILE) for suffix in SQLITE_COMPANIONS]
    return [path for path, mode in targets if _restrict(path, mode)]


def _restrict(path: str, mode: int) -> bool:
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return False
    if current & 0o077 == 0:
        return False
    try:
        os.chmod(path, mode)
    except OSError as exc:  # not ours: say so, the operator must fix it
        log.warning("%s is readable by other users (mode %04o) and could not be restricted: %s",
                    path, current, type(exc).__name__)
        return False
    log.info("restricted %s from mode %04o to %04o", path, current, mode)
    return True


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "instance"
    if ensure_instance_config(target, *sys.argv[2:3]):
        print(f"Created {target}/config.py with a new random SECRET_KEY.")

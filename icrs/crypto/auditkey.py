"""The audit key: the HMAC-SHA256 secret of the audit chain, kept like the other keys (a file in
instance/keys or ICRS_AUDIT_KEY), never in the database. Without it, someone who can write the
database cannot delete entries and recompute a chain that still verifies.

    <instance>/keys/audit.key    64 hex characters, created by `flask icrs keys init`
    ICRS_AUDIT_KEY="<64 hex>"    (config or environment; wins over the file)
"""
import os

from icrs.crypto.errors import KeyringError
from icrs.crypto.keyring import _parse_hex, _read_key_file, hkdf, parse_master_key

AUDIT_FILE = "audit.key"


def load_audit_key(config, keys_dir: str, testing: bool = False) -> bytes:
    """ICRS_AUDIT_KEY (config, then environment), else keys_dir/audit.key; KeyringError naming
    what is missing and how to fix it."""
    value = config.get("ICRS_AUDIT_KEY") or os.environ.get("ICRS_AUDIT_KEY")
    if value:
        return _parse_hex(value, "The audit key", "ICRS_AUDIT_KEY")
    master = config.get("ICRS_MASTER_KEY") or os.environ.get("ICRS_MASTER_KEY")
    if master and testing:
        # Tests only: a stable secret derived from the lowest KEK version.
        keks = parse_master_key(master)
        return hkdf(keks[min(keks)], b"icrs/test-audit-key")
    path = os.path.join(keys_dir, AUDIT_FILE)
    if not os.path.exists(path):
        raise KeyringError(
            f"Audit key not found: looked for ICRS_AUDIT_KEY (config and environment) and for "
            f"{path}. Restore it from your key backup; on the first start after an upgrade, "
            f"create it with: flask icrs keys init --if-missing (then flask db upgrade re-keys "
            f"the audit chain).")
    return _read_key_file(path, "The audit key")

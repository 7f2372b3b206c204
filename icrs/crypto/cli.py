"""`flask icrs keys …`: create, inspect and rotate keys, re-encrypt and shred. Output never
contains key material or personal values."""
import os

import click
from flask import current_app
from flask.cli import with_appcontext

from icrs.crypto import datakeys, keyring, rotation
from icrs.crypto.auditkey import AUDIT_FILE
from icrs.crypto.errors import KeyringError
from icrs.extensions import db


@click.group("keys", help="Master keys, data keys, rotation and crypto-shredding.")
def keys_cli():
    pass


def _state():
    return current_app.extensions["icrs_crypto"]


def _load_keyring():
    try:
        return _state().reload()
    except KeyringError as exc:
        raise click.ClickException(str(exc)) from exc


@keys_cli.command("init")
@click.option("--if-missing", is_flag=True, help="Do nothing (exit 0) if the keys already exist.")
@with_appcontext
def init_command(if_missing):
    """Create kek-v1.key and blind-index.key (mode 0600) in instance/keys."""
    if current_app.config.get("ICRS_MASTER_KEY") or os.environ.get("ICRS_MASTER_KEY"):
        click.echo("ICRS_MASTER_KEY is set: keys come from the environment, no files created.")
        return
    keys_dir = _state().keys_dir
    kek_path = os.path.join(keys_dir, "kek-v1.key")
    blind_path = os.path.join(keys_dir, keyring.BLIND_FILE)
    existing = [p for p in (blind_path,) if os.path.exists(p)] + list(
        keyring.kek_files(keys_dir).values())
    complete = os.path.exists(blind_path) and bool(keyring.kek_files(keys_dir))
    if complete and if_missing:
        _ensure_audit_key(keys_dir)
        click.echo(f"Keys already present in {keys_dir}.")
        return
    if existing:
        names = ", ".join(sorted(os.path.basename(p) for p in existing))
        hint = "" if complete else " A partial keyring must be restored from backup, not recreated."
        raise click.ClickException(f"Refusing to overwrite existing key files in {keys_dir}: "
                                   f"{names}.{hint}")
    os.makedirs(keys_dir, mode=0o700, exist_ok=True)
    os.chmod(keys_dir, 0o700)
    keyring.write_key_file(kek_path)
    keyring.write_key_file(blind_path)
    _ensure_audit_key(keys_dir)
    click.echo(f"Created {kek_path} and {blind_path} (mode 0600). Back them up offline: "
               f"without them the data cannot be read.")


def _ensure_audit_key(keys_dir):
    """Create audit.key beside the others when it is missing (a new install, or the first start
    after the upgrade that keyed the audit chain)."""
    path = os.path.join(keys_dir, AUDIT_FILE)
    if current_app.config.get("ICRS_AUDIT_KEY") or os.environ.get("ICRS_AUDIT_KEY") \
            or os.path.exists(path):
        return
    keyring.write_key_file(path)
    click.echo(f"Created {path} (mode 0600): the audit chain's key. Back it up offline with the "
               f"others; if an audit key existed before, restore that one instead.")


@keys_cli.command("status")
@with_appcontext
def status_command():
    """KEK versions in the keyring and how many data keys each wraps."""
    ring = _load_keyring()
    counts = rotation.key_counts()
    click.echo(f"Keyring: {ring.source}")
    click.echo(f"Current KEK: v{ring.current_version} (fingerprint {ring.fingerprint})")
    for version in sorted(set(ring.keks) | {v for v in counts if v is not None}):
        mark = "current" if version == ring.current_version else (
            "in keyring" if version in ring.keks else "MISSING FROM KEYRING")
        click.echo(f"  KEK v{version:<3} {counts.get(version, 0):>9} data keys  ({mark})")
    click.echo(f"  shredded  {counts.get(None, 0):>9} data keys")
    pending = rotation.pending_rewrap(ring.current_version)
    if pending:
        click.echo(f"{pending} data keys still under an older KEK: run `flask icrs keys rotate`.")


@keys_cli.command("rotate")
@click.option("--batch-size", default=rotation.BATCH_SIZE, show_default=True)
@with_appcontext
def rotate_command(batch_size):
    """New KEK version, then rewrap every data key under it (resumes an interrupted run)."""
    ring = _load_keyring()
    pending = rotation.pending_rewrap(ring.current_version)
    if not pending:
        ring = _new_kek_version(ring)
        pending = rotation.pending_rewrap(ring.current_version)
    else:
        click.echo(f"{pending} data keys to rewrap under KEK v{ring.current_version} (new or "
                   f"interrupted rotation).")
    with click.progressbar(length=pending, label=f"Rewrapping under KEK v{ring.current_version}"
                           ) as bar:
        done = rotation.rotate_deks(batch_size=batch_size, on_batch=bar.update)
    click.echo(f"{done} data keys rewrapped; all under KEK v{ring.current_version}. Keep older "
               f"KEK files while system secrets sealed under them exist.")


def _new_kek_version(ring):
    if ring.source != _state().keys_dir:
        raise click.ClickException(
            f"All data keys are already under KEK v{ring.current_version}. With keys from the "
            f"environment, add v{ring.current_version + 1}:<64 hex> to ICRS_MASTER_KEY and rerun.")
    version = ring.current_version + 1
    path = os.path.join(ring.source, f"kek-v{version}.key")
    keyring.write_key_file(path)
    click.echo(f"Created {path} (mode 0600). Back it up offline.")
    return _load_keyring()


@keys_cli.command("reencrypt")
@click.argument("owner_id", required=False)
@click.option("--all", "all_owners", is_flag=True, help="Every owner (slow).")
@with_appcontext
def reencrypt_command(owner_id, all_owners):
    """New data key for one owner (or all) and re-encryption of all their fields."""
    if bool(owner_id) == all_owners:
        raise click.UsageError("Give one OWNER_ID or --all.")
    _load_keyring()
    if owner_id:
        rows = rotation.reencrypt_owner(_owner(owner_id))
        db.session.commit()
        click.echo(f"Owner {owner_id}: new data key, {rows} rows re-encrypted.")
        return
    total = db.session.query(datakeys.DataKey).filter(
        datakeys.DataKey.wrapped_dek.is_not(None)).count()
    with click.progressbar(length=total, label="Re-encrypting") as bar:
        done = rotation.reencrypt_all(on_owner=bar.update)
    click.echo(f"{done} owners re-encrypted under new data keys.")


@keys_cli.command("shred")
@click.argument("owner_id")
@click.confirmation_option(prompt="This erases every encrypted field of this person for good. "
                                  "Continue?")
@with_appcontext
def shred_command(owner_id):
    """Delete an owner's data key: all their encrypted data becomes unreadable (irreversible)."""
    _load_keyring()
    if datakeys.shred(_owner(owner_id)):
        db.session.commit()
        click.echo(f"Data key of {owner_id} shredded.")
    else:
        click.echo(f"Data key of {owner_id} was already shredded.")


def _owner(owner_id):
    try:
        return datakeys.as_uuid(owner_id)
    except ValueError:
        raise click.BadParameter(f"not a UUID: {owner_id}", param_hint="OWNER_ID") from None

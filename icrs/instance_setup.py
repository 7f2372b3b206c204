"""Create instance/config.py with a random SECRET_KEY if it is missing (run by `make run`)."""
import os
import secrets
import sys


def ensure_instance_config(instance_dir: str) -> bool:
    os.makedirs(instance_dir, exist_ok=True)
    path = os.path.join(instance_dir, "config.py")
    if os.path.exists(path):
        return False
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("# Local settings for this machine; never commit this file.\n")
        fh.write(f"SECRET_KEY = {secrets.token_hex(32)!r}\n")
    return True


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "instance"
    if ensure_instance_config(target):
        print(f"Created {target}/config.py with a new random SECRET_KEY.")

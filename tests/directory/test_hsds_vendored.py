"""The vendored official HSDS 3.0 files are exactly the listed ones, unchanged."""
import hashlib

from tests.directory.hsds_check import OFFICIAL


def _listed():
    lines = (OFFICIAL / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name.removeprefix("./"): digest for digest, name in
            (line.split(maxsplit=1) for line in lines if line.strip())}


def test_every_vendored_file_matches_its_checksum():
    listed = _listed()
    assert "schema/openapi.json" in listed and "LICENSE" in listed
    for name, digest in listed.items():
        actual = hashlib.sha256((OFFICIAL / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} differs from the vendored official file"


def test_no_unlisted_file():
    present = {str(p.relative_to(OFFICIAL)) for p in OFFICIAL.rglob("*")
               if p.is_file() and p.name not in ("SHA256SUMS", "README.md")}
    assert present == set(_listed())


def test_licence_is_cc_by_sa():
    assert "Attribution-ShareAlike 4.0" in (OFFICIAL / "LICENSE").read_text(encoding="utf-8")

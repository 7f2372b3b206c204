"""Validate records against the HSDS 3.0 JSON Schemas (vendored in hsds_schema/; the modular
files refer to each other by bare file name, so each is registered under it)."""
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).with_name("hsds_schema")


@cache
def registry(schema_dir=SCHEMA_DIR):
    resources = []
    for path in sorted(Path(schema_dir).glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents,
                                                            default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(name, schema_dir=SCHEMA_DIR):
    reg = registry(schema_dir)
    return Draft202012Validator(reg.contents(f"{name}.json"), registry=reg,
                                format_checker=FormatChecker())


def json_path(base, parts):
    path = base
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_errors(obj, name, base="$", schema_dir=SCHEMA_DIR):
    """[(json path, reason)] for every violation of the HSDS schema `name` (e.g. "service")."""
    errors = sorted(validator(name, schema_dir).iter_errors(obj),
                    key=lambda e: list(map(str, e.absolute_path)))
    return [(json_path(base, e.absolute_path), e.message) for e in errors]

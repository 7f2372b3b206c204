"""Validate against the official HSDS 3.0 schemas vendored in tests/directory/hsds_official/
(see its README): independent of the copy the application ships."""
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

OFFICIAL = Path(__file__).with_name("hsds_official")


def schema_dir():
    return OFFICIAL / "schema"


def example(name):
    """One of the official examples (e.g. "service_full"), as a dict."""
    return json.loads((OFFICIAL / "examples" / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _registry():
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8")),
                                                 default_specification=DRAFT202012))
                 for p in sorted(schema_dir().glob("*.json"))]
    return Registry().with_resources(resources)


@cache
def _validator(name):
    if name.startswith("compiled/"):
        schema = json.loads((schema_dir() / f"{name}.json").read_text(encoding="utf-8"))
        return Draft202012Validator(schema, format_checker=FormatChecker())
    return Draft202012Validator(_registry().contents(f"{name}.json"), registry=_registry(),
                                format_checker=FormatChecker())


def errors(obj, name):
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator(name).iter_errors(obj)]


def assert_valid(obj, name):
    problems = errors(obj, name)
    assert not problems, f"not valid HSDS {name}: {problems[:5]}"


@cache
def _page_schema():
    openapi = json.loads((schema_dir() / "openapi.json").read_text(encoding="utf-8"))
    page = dict(openapi["components"]["schemas"]["Page"])
    page["required"] = list(page["properties"]) + ["contents"]
    page["properties"] = dict(page["properties"], contents={"type": "array"})
    return Draft202012Validator(page)


def assert_valid_page(body, item_schema):
    problems = [e.message for e in _page_schema().iter_errors(body)]
    assert not problems, problems
    for item in body["contents"]:
        assert_valid(item, item_schema)

"""Third-party HSDS 3.0 input, brought to the shape of the ICRS exchange file before import.

Accepted: the exchange file (`organizations`, `services`), an API page (`contents`), a list of
services, or one service. A service's nested `organization` becomes an organisation of the file
(HSDS allows `organization_id` to be left out when it is nested). Services of another directory
carry their own taxonomies: a taxonomy map names the ICRS service category for their terms.

Taxonomy map file (JSON):
    {"default": "mhpss",                      # category for a service no rule matches (optional)
     "terms": {"<term id, code or name>": "<ICRS category code>", ...}}
"""
import json
from dataclasses import dataclass, field

from icrs import lookups
from icrs.directory.taxonomy import SERVICE_CATEGORY, SERVICE_CATEGORY_LIST, term_uuid


def category_codes(include_retired=False):
    """The ICRS service categories (icrs.lookups); a retired one is given to no new service."""
    return set(lookups.codes(SERVICE_CATEGORY_LIST, include_retired=include_retired))


class TaxonomyMapError(ValueError):
    """The map file is not usable; the message says why."""


@dataclass
class TaxonomyMap:
    terms: dict = field(default_factory=dict)  # foreign id/code/name (lower case) -> ICRS code
    default: str | None = None

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict) or not isinstance(data.get("terms", {}), dict):
            raise TaxonomyMapError("expected {\"default\": code, \"terms\": {term: code}}")
        terms = {str(k).strip().lower(): v for k, v in data.get("terms", {}).items()}
        default = data.get("default")
        named = {str(v) for v in [*terms.values(), default] if v is not None}
        active, known = category_codes(), category_codes(include_retired=True)
        if unknown := sorted(named - known):
            raise TaxonomyMapError(f"not ICRS service categories: {', '.join(unknown)} "
                                   f"(known: {', '.join(sorted(active))})")
        if retired := sorted(named - active):
            raise TaxonomyMapError(f"retired ICRS service categories: {', '.join(retired)} "
                                   "(a retired category is given to no new service; "
                                   f"active: {', '.join(sorted(active))})")
        return cls(terms=terms, default=default)

    @classmethod
    def from_file(cls, path):
        try:
            with open(path, encoding="utf-8") as fh:
                return cls.from_dict(json.load(fh))
        except (OSError, json.JSONDecodeError) as exc:
            raise TaxonomyMapError(f"cannot read {path}: {exc}") from exc

    def category_for(self, service):
        """The ICRS category code for a foreign service, or None."""
        for attr in service.get("attributes") or []:
            t = attr.get("taxonomy_term") or {}
            for key in (attr.get("taxonomy_term_id"), t.get("id"), t.get("code"), t.get("name")):
                if key and str(key).strip().lower() in self.terms:
                    return self.terms[str(key).strip().lower()]
        return self.default


def as_exchange(data):
    """The input as {"organizations": [...], "services": [...], ...}; unknown shapes unchanged
    (the importer reports them)."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if isinstance(data, dict) and "services" not in data and "organizations" not in data \
            and "id" in data and "name" in data:
        data = [data]
    if isinstance(data, list):
        data = {"organizations": [], "services": data}
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        return data
    data = dict(data, organizations=list(data.get("organizations") or []))
    _lift_organisations(data)
    _separate_shared_phones(data)
    return data


def _lift_organisations(data):
    known = {str(o.get("id")) for o in data["organizations"] if isinstance(o, dict)}
    services = []
    for service in data["services"]:
        nested = service.get("organization") if isinstance(service, dict) else None
        if isinstance(nested, dict) and nested.get("id"):
            service = {k: v for k, v in service.items() if k != "organization"}
            service.setdefault("organization_id", nested["id"])
            if str(nested["id"]) not in known:
                known.add(str(nested["id"]))
                data["organizations"].append(_organisation_record(nested))
        services.append(service)
    data["services"] = services


def _separate_shared_phones(data):
    """HSDS lets one phone record hang under an organisation and its service; ICRS gives each
    phone one owner, so a repeated phone id gets an id derived from its second owner (stable
    across re-imports)."""
    from icrs.directory.hsds import derived_id

    seen = set()
    for owner in [*data["organizations"], *data["services"]]:
        if not isinstance(owner, dict) or not isinstance(owner.get("phones"), list):
            continue
        phones = []
        for phone in owner["phones"]:
            if isinstance(phone, dict) and phone.get("id") in seen:
                phone = dict(phone, id=derived_id(owner.get("id"), "phone", phone["id"]))
            if isinstance(phone, dict):
                seen.add(phone.get("id"))
            phones.append(phone)
        owner["phones"] = phones


def _organisation_record(nested):
    """An organisation as the exchange file lists it (its own services are the file's)."""
    return {k: v for k, v in nested.items() if k != "services"}


def has_icrs_category(service):
    return any(str(a.get("taxonomy_term_id") or (a.get("taxonomy_term") or {}).get("id"))
               in _category_ids() for a in service.get("attributes") or [])


def _category_ids():
    return {str(term_uuid(SERVICE_CATEGORY, code)) for code in category_codes(True)}


def apply_taxonomy_map(data, taxonomy_map):
    """Add an ICRS service-category attribute to each service that has none and that the map
    places; the others are left for the importer to refuse."""
    if taxonomy_map is None or not isinstance(data, dict):
        return data
    for service in data.get("services") or []:
        if not isinstance(service, dict) or has_icrs_category(service):
            continue
        code = taxonomy_map.category_for(service)
        if code:
            service["attributes"] = [*(service.get("attributes") or []), {
                "id": _mapped_attribute_id(service, code),
                "link_id": service.get("id"), "link_type": "service_category",
                "link_entity": "service",
                "taxonomy_term_id": str(term_uuid(SERVICE_CATEGORY, code))}]
    return data


def _mapped_attribute_id(service, code):
    from icrs.directory.hsds import derived_id
    return derived_id(service.get("id"), "attribute", "service_category", code)

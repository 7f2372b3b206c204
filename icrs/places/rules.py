"""The formats of place codes and p-codes, and coordinates: one rule each, for the services,
the COD import and the command line."""
import re

from flask_babel import lazy_gettext as _l

from icrs.core.errors import DomainError

CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
# OCHA p-codes: the country's two letters, then digits (Cameroon: three per level, CM004001).
PCODE = re.compile(r"^[A-Z]{2}[0-9]{1,10}$")
LEVELS = (1, 2, 3)
PERMISSION = "admin.places"  # administrators: the pages, the services, the import


def clean_code(value, field="code") -> str:
    code = (value or "").strip().upper()
    if not CODE.match(code):
        raise DomainError(_l("A code is 2 to 8 capital letters or digits, starting with a "
                             "letter (for example MER)."), field)
    return code


def is_pcode(value) -> bool:
    return bool(PCODE.match(value or ""))


def clean_pcode(value, field="pcode", required=True) -> str | None:
    pcode = (value or "").strip().upper()
    if not pcode and not required:
        return None
    if not is_pcode(pcode):
        raise DomainError(_l("A p-code is two capital letters followed by digits, such as "
                             "CM004 or CM004001."), field)
    return pcode


def clean_name(value, field) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise DomainError(_l("Enter a name."), field)
    if len(name) > 120:
        raise DomainError(_l("At most 120 characters."), field)
    return name


def clean_coordinates(latitude, longitude) -> tuple:
    """Both or neither, in range (decimal degrees, WGS 84)."""
    if (latitude is None) != (longitude is None):
        raise DomainError(_l("Give both latitude and longitude, or neither."),
                          "longitude" if longitude is None else "latitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise DomainError(_l("A latitude lies between -90 and 90."), "latitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise DomainError(_l("A longitude lies between -180 and 180."), "longitude")
    return latitude, longitude


def is_child_pcode(pcode, parent_pcode) -> bool:
    """A child's p-code extends its parent's (CM004001 under CM004)."""
    return pcode.startswith(parent_pcode) and len(pcode) > len(parent_pcode)

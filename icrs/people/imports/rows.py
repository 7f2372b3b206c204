"""One file row -> the registration data of a person, or its problems at the field. The row is
validated by the registration form and the registration rules themselves (one rule, one
place); only the file's habits are translated first: sex and category by code or label,
select_multiple answers as space-separated codes, dates as written by KoBoToolbox or by hand."""
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from icrs.core.errors import DomainError
from icrs.core.timeutil import today, utcnow
from icrs.core.vocab import canonical_language
from icrs.crypto import normalise
from icrs.people.forms import IdentityForm
from icrs.people.services import check_identity

TEXT_FIELDS = ("first_name", "last_name", "other_names", "phone", "id_number", "address",
               "caregiver_name", "caregiver_phone")
SEX = {"female": "female", "f": "female", "femme": "female", "feminin": "female",
       "woman": "female", "fille": "female", "girl": "female", "male": "male", "m": "male",
       "h": "male", "homme": "male", "masculin": "male", "man": "male", "garcon": "male",
       "boy": "male"}
CATEGORY = {"adult_man": "adult_man", "homme_adulte": "adult_man", "man": "adult_man",
            "adult_woman": "adult_woman", "femme_adulte": "adult_woman", "woman": "adult_woman",
            "caafag": "caafag", "eafga": "caafag", "child": "caafag", "enfant": "caafag",
            "person_with_disability": "person_with_disability",
            "personne_handicapee": "person_with_disability",
            "personne_en_situation_de_handicap": "person_with_disability",
            "disability": "person_with_disability", "dependant": "dependant",
            "dependent": "dependant", "personne_a_charge": "dependant"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


@dataclass
class Row:
    number: int  # row of the file (1 = the header)
    data: dict | None = None  # registration data when valid
    errors: list = field(default_factory=list)  # (field code or None, message)
    registered_at: dt.datetime | None = None
    source_id: str | None = None
    duplicate: object = None  # a Duplicate (icrs.people.imports.plan) when one is found

    @property
    def valid(self):
        return not self.errors and self.data is not None

    @property
    def ok(self):
        return self.valid and self.duplicate is None


def _code(raw):
    plain = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def parse_date(raw):
    """A date from `2023-04-12`, `2023-04-12T10:22:31.000+01:00`, `12/04/2023` …; None."""
    raw = raw.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", raw):
        raw = raw[:10]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def read_row(number, cells, fields) -> Row:
    """`fields[i]` is the ICRS field of column i (or "")."""
    values = {f: cells[i] for i, f in enumerate(fields) if f and i < len(cells)}
    row = Row(number, source_id=values.get("source_id") or None)
    formdata = _formdata(values, row)
    form = IdentityForm(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        for name, messages in form.errors.items():
            row.errors += [(_field_of(name, values), m) for m in messages]
    if row.errors:
        return row
    data = form.to_data(today().year)
    try:
        check_identity(data)
    except DomainError as exc:
        row.errors.append((_field_of(exc.field, values), exc.message))
        return row
    row.data = data
    return row


def _field_of(name, values):
    """The file's field an error is about (the year or age column feeds `estimated_age`)."""
    if name == "estimated_age":
        return next((f for f in ("estimated_age", "birth_year", "birth_date") if f in values),
                    name)
    return name


def _formdata(values, row):
    data = MultiDict({k: values.get(k, "") for k in TEXT_FIELDS})
    data["sex"] = SEX.get(_code(values.get("sex", "")), values.get("sex", ""))
    data["category"] = CATEGORY.get(_code(values.get("category", "")),
                                    values.get("category", ""))
    for code in re.split(r"[\s,;]+", values.get("languages", "").strip()):
        if code:
            data.add("languages", canonical_language(code.lower()))
    data["birth_date"] = _date_text(values, "birth_date", row)
    data["estimated_age"] = _age_text(values, row)
    if values.get("registered_on"):
        row.registered_at = _registered_at(values["registered_on"], row)
    return data


def _date_text(values, name, row):
    raw = values.get(name, "")
    if not raw:
        return ""
    date = parse_date(raw)
    if date is None:
        row.errors.append((name, _l("Write the date as YYYY-MM-DD or DD/MM/YYYY.")))
        return ""
    return date.isoformat()


def _age_text(values, row):
    if values.get("estimated_age"):
        return values["estimated_age"]
    raw = values.get("birth_year", "")
    if not raw:
        return ""
    if not re.match(r"^\d{4}$", raw):
        row.errors.append(("birth_year", _l("Write the year of birth with four digits.")))
        return ""
    return str(today().year - int(raw))


def _registered_at(raw, row):
    date = parse_date(raw)
    if date is None:
        row.errors.append(("registered_on", _l("Write the date as YYYY-MM-DD or DD/MM/YYYY.")))
        return None
    if date > today():
        row.errors.append(("registered_on", _l("The date of registration cannot be in the "
                                               "future.")))
        return None
    return min(dt.datetime.combine(date, dt.time(12)), utcnow())


def identity_keys(row: Row):
    """What makes two rows of one file the same person: the source's identifier, the ID number,
    the phone, or the name with the birth year (normalised as the blind indexes are)."""
    data = row.data
    keys = [("source", row.source_id)] if row.source_id else []
    keys += [(kind, normalise(kind, data.get(kind))) for kind in ("id_number", "phone")]
    name = f"{data.get('first_name') or ''} {data.get('last_name') or ''}"
    keys.append(("name_year", normalise("name_year", (name, data.get("birth_year")))))
    return [k for k in keys if k[1]]

"""Which file column feeds which ICRS field: the fields an import can fill, suggestions from
the column names (KoBoToolbox group paths such as `identity/first_name` or
`group_x/first_name` are read by their last part, its metadata columns `_id`, `_index` … are
ignored), and the saved templates."""
import re
import unicodedata

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import DomainError
from icrs.core.timeutil import utcnow
from icrs.extensions import db
from icrs.people.models import ImportTemplate

IGNORE = ""
FIELDS = {
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "other_names": _l("Other names or aliases"),
    "sex": _l("Sex"),
    "birth_date": _l("Date of birth"),
    "birth_year": _l("Year of birth"),
    "estimated_age": _l("Estimated age (years)"),
    "category": _l("Category"),
    "languages": _l("Languages spoken"),
    "phone": _l("Phone"),
    "id_number": _l("ID or DDR card number"),
    "address": _l("Address or place of residence"),
    "caregiver_name": _l("Caregiver (for a minor)"),
    "caregiver_phone": _l("Caregiver's phone"),
    "registered_on": _l("Date of registration"),
    "source_id": _l("Identifier in the source (KoBoToolbox _uuid)"),
}
REQUIRED = ("first_name", "last_name", "sex", "category")
# normalised column name -> field (French and English forms, KoBo habits)
SYNONYMS = {
    "first_name": ["first_name", "firstname", "given_name", "prenom", "prenoms", "first"],
    "last_name": ["last_name", "lastname", "surname", "family_name", "nom", "nom_de_famille"],
    "other_names": ["other_names", "alias", "aliases", "nom_de_guerre", "autres_noms",
                    "surnom", "nickname"],
    "sex": ["sex", "sexe", "gender", "genre"],
    "birth_date": ["birth_date", "date_of_birth", "dob", "date_naissance",
                   "date_de_naissance", "birthdate"],
    "birth_year": ["birth_year", "year_of_birth", "annee_naissance", "annee_de_naissance"],
    "estimated_age": ["estimated_age", "age", "age_estime", "age_years"],
    "category": ["category", "categorie", "person_category", "type"],
    "languages": ["languages", "language", "langues", "langue", "languages_spoken"],
    "phone": ["phone", "telephone", "phone_number", "tel", "mobile", "numero_telephone"],
    "id_number": ["id_number", "cni", "id_card", "ddr_card", "national_id", "numero_cni",
                  "carte_ddr", "id"],
    "address": ["address", "adresse", "residence", "lieu_de_residence", "quartier"],
    "caregiver_name": ["caregiver_name", "caregiver", "tuteur", "nom_tuteur", "guardian"],
    "caregiver_phone": ["caregiver_phone", "telephone_tuteur", "guardian_phone",
                        "tuteur_telephone"],
    "registered_on": ["registered_on", "registration_date", "date_enregistrement",
                      "submission_time", "today", "date"],
    "source_id": ["uuid", "instanceid", "source_id"],
}
_BY_NAME = {name: f for f, names in SYNONYMS.items() for name in names}
KOBO_META = {"id", "index", "parent_index", "parent_table_name", "status", "submitted_by",
             "validation_status", "notes", "tags", "version", "xform_id_string",
             "submission_time", "uuid", "geolocation", "attachments", "media_count"}


def normalise_header(header: str) -> str:
    """`identity/Prénom ` -> `prenom`: the last part of a group path, no accents, snake case."""
    last = re.split(r"[/:]", header.strip())[-1]
    plain = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def suggest(headers) -> list[str]:
    """One field (or IGNORE) per column; a field is suggested once, for its first column."""
    taken, result = set(), []
    for header in headers:
        name = normalise_header(header)
        meta = header.strip().startswith("_")
        field = _BY_NAME.get(name, IGNORE)
        if meta and name not in ("uuid", "submission_time"):
            field = IGNORE  # KoBo's own columns: _id, _index, _status …
        if field in taken:
            field = IGNORE
        taken.add(field)
        result.append(field)
    return result


def check_mapping(fields) -> list:
    """Problems of a chosen mapping: (column index or None, message)."""
    problems, seen = [], {}
    for index, field in enumerate(fields):
        if field and field not in FIELDS:
            problems.append((index, _l("Choose a field from the list.")))
        elif field in seen:
            problems.append((index, _l("“%(field)s” is already fed by another column.",
                                       field=FIELDS[field])))
        elif field:
            seen[field] = index
    for field in REQUIRED:
        if field not in seen:
            problems.append((None, _l("Choose the column of “%(field)s”: it is required.",
                                      field=FIELDS[field])))
    if not {"birth_date", "birth_year", "estimated_age"} & seen.keys():
        problems.append((None, _l("Choose a column of date of birth, year of birth or "
                                  "estimated age.")))
    return problems


# --- templates -----------------------------------------------------------------------------------
def templates():
    return db.session.scalars(sa.select(ImportTemplate).order_by(ImportTemplate.name)).all()


def apply_template(template, headers) -> list[str]:
    """The template's field for each column, matched by exact then by normalised name."""
    exact = template.mapping
    loose = {normalise_header(k): v for k, v in exact.items()}
    return [exact.get(h, loose.get(normalise_header(h), IGNORE)) for h in headers]


def save_template(actor, name, headers, fields) -> ImportTemplate:
    """Save (or replace) the mapping under `name`; audited (column names only)."""
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise DomainError(_l("Give the template a name of at most 80 characters."),
                          "template_name")
    mapping = {h: f for h, f in zip(headers, fields, strict=True) if h}
    template = db.session.scalar(sa.select(ImportTemplate).where(ImportTemplate.name == name))
    if template is None:
        template = ImportTemplate(name=name, created_by_id=actor.id)
        db.session.add(template)
    template.mapping, template.updated_at = mapping, utcnow()
    db.session.flush()
    record("people.import_template_saved", actor=actor, obj=template, name=name,
           columns=len(mapping))
    return template

"""Duplicate candidates: blind-index look-up, confirmed on the decrypted values."""
import sqlalchemy as sa

from icrs.crypto import blind_index, matches
from icrs.extensions import db
from icrs.people.models import Person


def find_duplicates(data: dict, exclude_id=None) -> list[Person]:
    """Candidates sharing a blind index, confirmed by comparing the decrypted values."""
    keys = {
        "id_number": blind_index("id_number", data.get("id_number")),
        "phone": blind_index("phone", data.get("phone")),
        "name_year": blind_index("name_year", (_full_name(data), data.get("birth_year"))),
    }
    columns = {"id_number": Person.id_number_bidx, "phone": Person.phone_bidx,
               "name_year": Person.name_year_bidx}
    conditions = [columns[k] == v for k, v in keys.items() if v is not None]
    if not conditions:
        return []
    stmt = sa.select(Person).where(sa.or_(*conditions), Person.erased_at.is_(None))
    if exclude_id:
        stmt = stmt.where(Person.id != exclude_id)
    return [p for p in db.session.scalars(stmt.limit(50)) if _confirmed_match(p, data, keys)]


def _full_name(data):
    return f"{data.get('first_name') or ''} {data.get('last_name') or ''}".strip()


def _confirmed_match(person, data, keys):
    """Blind indexes collide on purpose: confirm on the decrypted values."""
    if keys["id_number"] and person.id_number_bidx == keys["id_number"] and \
            matches("id_number", person.id_number, data.get("id_number")):
        return True
    if keys["phone"] and person.phone_bidx == keys["phone"] and \
            matches("phone", person.phone, data.get("phone")):
        return True
    return bool(keys["name_year"]) and matches(
        "name_year", (person.display_name, person.birth_year),
        (_full_name(data), data.get("birth_year")))

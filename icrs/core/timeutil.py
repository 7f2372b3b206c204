"""Time helpers: everything is stored as naive UTC."""
from datetime import UTC, date, datetime


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def today():
    return utcnow().date()


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))

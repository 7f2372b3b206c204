"""Time: stored as naive UTC, shown in the user's time zone (Africa/Douala unless they chose
another) in the user's language. The only place that converts or formats a time: pages use the
Jinja filters registered by init_app, exports the functions below."""
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import get_datetime_format
from flask import current_app, has_request_context
from flask_babel import format_date, format_time, get_locale, get_timezone

DEFAULT_ZONE = "Africa/Douala"
EMPTY = "—"


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def today():
    return utcnow().date()


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name zoneinfo knows (from the system or the tzdata package)."""
    return tuple(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))


def is_zone(name) -> bool:
    if not name or name not in zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def default_zone() -> str:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE


def zone_of(user) -> str:
    """The user's zone name; the installation default for anonymous users or unknown names."""
    name = getattr(user, "time_zone", None)
    return name if is_zone(name) else default_zone()


def to_local(value: datetime, zone=None) -> datetime:
    """A stored (naive UTC) datetime as an aware datetime in `zone` (default: the user's)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    tz = ZoneInfo(zone) if isinstance(zone, str) else (zone or _request_zone())
    return value.astimezone(tz)


def _request_zone():
    return get_timezone() if has_request_context() else ZoneInfo(default_zone())


def format_when(value, empty=EMPTY) -> str:
    """Date and time to the minute, in the user's zone and language ("2 déc. 2026 17:19")."""
    if value is None:
        return empty
    if not isinstance(value, datetime):
        return format_day(value, empty)
    local = to_local(value)
    pattern = get_datetime_format("medium", locale=get_locale())
    return (pattern.replace("{1}", format_date(local, "medium", rebase=False))
            .replace("{0}", format_time(local, "short", rebase=False)))


def format_day(value, empty=EMPTY) -> str:
    """A date, or the local date of a stored datetime ("2 déc. 2026")."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        return format_date(to_local(value), "medium", rebase=False)
    return format_date(value, "medium")


def iso_utc(value) -> str:
    """For <time datetime="…">: machine-readable, with the zone said (Z)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC) \
            .strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def export_local(value, zone=None):
    """For CSV/XLSX cells: a naive datetime in the user's zone (spreadsheets have no zones; the
    file says which zone in its header)."""
    if value is None:
        return None
    return to_local(value, zone).replace(tzinfo=None)


def export_text(value, zone=None) -> str:
    """For CSV: ISO 8601 in the user's zone with its offset (2026-12-02T17:19+01:00), which
    spreadsheets and scripts read alike."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return to_local(value, zone).isoformat(timespec="minutes")


def zone_label(zone=None) -> str:
    """"Africa/Douala (UTC+01:00)", for headers and the footer."""
    name = zone or (str(get_timezone()) if has_request_context() else default_zone())
    offset = datetime.now(ZoneInfo(name)).strftime("%z")
    return f"{name} (UTC{offset[:3]}:{offset[3:]})"


def init_app(app):
    app.add_template_filter(format_when, "when")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(iso_utc, "iso")
    app.add_template_global(zone_label, "time_zone_label")

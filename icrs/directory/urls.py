"""Which web addresses the directory stores and serves to partners: http and https only (a
`javascript:` or `data:` link would run in whoever clicks it). One rule for forms and imports."""
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def is_web_url(value):
    """Whether `value` is an absolute http(s) address with a host."""
    try:
        parts = urlsplit((value or "").strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)

"""Crawl the pages a role can open and map each POST form's action to its fields, so that the
fuzzer posts the field names (and option values) the real forms use."""
from html.parser import HTMLParser
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException


class FormParser(HTMLParser):
    """Collects forms (action, method, fields with sample values) and links from one page."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get")
                          .lower(), "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and a.get("name"):
            values = self._form["fields"].setdefault(a["name"], [])
            if tag == "input" and a.get("value") is not None:
                values.append(a["value"])
            self._select = values if tag == "select" else None
        elif tag == "option" and self._select is not None and a.get("value") is not None:
            self._select.append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(html):
    parser = FormParser()
    parser.feed(html)
    return parser


def match(adapter, url, method):
    """(endpoint, args) for a same-site URL, or None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    try:
        return adapter.match(parts.path, method=method)
    except HTTPException:
        return None


def crawl(client, adapter, seeds, allowed, errors, per_endpoint=2, limit=50):
    """Breadth-first over GET pages, a few URLs per endpoint; returns {post_path: fields}.
    Pages that fail (5xx or an exception) are added to `errors`."""
    forms, seen, visits, queue = {}, set(), {}, list(seeds)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        hit = match(adapter, url, "GET")
        if hit is None or url in seen or hit[0] not in allowed:
            continue
        if visits.get(hit[0], 0) >= per_endpoint:
            continue
        seen.add(url)
        visits[hit[0]] = visits.get(hit[0], 0) + 1
        page = _get(client, url, hit[0], errors)
        if page is None:
            continue
        add_forms(forms, page, url)
        queue.extend(page.links)
    return forms


def add_forms(forms, page, url):
    for form in page.forms:
        if form["method"] == "post":
            path = urlsplit(form["action"] or url).path
            forms.setdefault(path, {}).update(form["fields"])


def _get(client, url, endpoint, errors):
    try:
        response = client.get(url)
    except Exception as exc:  # noqa: BLE001 - reported by the caller
        errors.append(f"GET {endpoint} raised {type(exc).__name__}: {exc}")
        return None
    if response.status_code >= 500:
        errors.append(f"GET {endpoint} answered {response.status_code}")
    if response.status_code != 200 or response.mimetype != "text/html":
        return None
    return parse(response.get_data(as_text=True))

"""Find a table cell in a page, whatever attributes it carries (the phone layout's data-label)."""
import re


def has_cell(page, content):
    """True if the page has a `<td …>content</td>`."""
    return re.search(r"<td(?: [^>]*)?>" + re.escape(content) + "</td>", page) is not None

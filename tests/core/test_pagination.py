"""?page= is always a usable page number, whatever the query string holds."""
import pytest

from icrs.core.pagination import MAX_PAGE, page_arg


@pytest.mark.parametrize("raw, expected", [
    (None, 1), ("", 1), ("3", 3), (" 3 ", 3), ("0", 1), ("-5", 1), ("abc", 1), ("²", 1),
    ("1e309", 1), ("9" * 400, MAX_PAGE), (str(MAX_PAGE + 1), MAX_PAGE), ("-" + "9" * 30, 1)])
def test_page_arg(raw, expected):
    assert page_arg({} if raw is None else {"page": raw}) == expected

"""Blind-index normalisation and keyed, truncated HMACs."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrs.crypto.blind import blind_index, matches, normalise
from icrs.crypto.keyring import Keyring

RING = Keyring({1: b"\x11" * 32}, b"\x22" * 32, "test")
OTHER = Keyring({1: b"\x11" * 32}, b"\x23" * 32, "test")


@pytest.mark.parametrize("raw", ["+237 6 99 12 34 56", "699123456", "00237699123456",
                                 "+237699123456", "(+237) 699-12-34-56", " 6 99 12 34 56 "])
def test_phone_forms_agree(raw):
    assert normalise("phone", raw) == "+237699123456"
    assert blind_index("phone", raw, RING) == blind_index("phone", "699123456", RING)


def test_foreign_phone_kept_international():
    assert normalise("phone", "+33 6 12 34 56 78") == "+33612345678"
    assert normalise("phone", "699123457") != normalise("phone", "699123456")


@pytest.mark.parametrize("raw", ["ab-12 345.67", "AB12345 67", "ab 12-345-67", "ＡＢ1234567"])
def test_id_numbers_agree(raw):
    assert normalise("id_number", raw) == "AB1234567"


@pytest.mark.parametrize("raw", ["Marie Ngono-Ébodé", "NGONO EBODE marie", "  marie   ngono ébodé ",
                                 "Ébodé, Ngono Marie"])
def test_names_agree(raw):
    assert normalise("name_year", (raw, 1990)) == "ebode marie ngono|1990"


def test_name_year_accepts_date_and_distinguishes_years():
    assert normalise("name_year", ("Jean", datetime.date(1990, 5, 1))) == "jean|1990"
    assert blind_index("name_year", ("Jean", 1990), RING) != \
        blind_index("name_year", ("Jean", 1991), RING)


@pytest.mark.parametrize("kind, raw", [("phone", ""), ("phone", None), ("id_number", " - "),
                                       ("name_year", ("  ", 1990))])
def test_nothing_to_index(kind, raw):
    assert blind_index(kind, raw, RING) is None


def test_keyed_per_index_and_per_secret():
    assert blind_index("phone", "699123456", RING) != blind_index("phone", "699123456", OTHER)
    assert blind_index("id_number", "X1", RING) != blind_index("name_year", ("x1", None), RING)


def test_unknown_index_rejected():
    with pytest.raises(ValueError):
        blind_index("email", "a@b", RING)


@given(st.text(max_size=80))
def test_index_fits_signed_32_bits(raw):
    value = blind_index("id_number", raw, RING)
    assert value is None or -(2**31) <= value < 2**31


def test_matches_confirms_candidates():
    assert matches("phone", "+237 699 12 34 56", "00237699123456")
    assert not matches("phone", "+237 699 12 34 57", "00237699123456")
    assert not matches("phone", None, None)

"""Tests for the bounds on numbers and periods a user may enter."""

from datetime import date

import pytest
from resource_sharing_engine import bounds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8, None),
        (7.5, None),
        ("12.5", None),
        (False, None),
        (None, None),
        ("eight", "not_a_number"),
        ([8], "not_a_number"),
        (float("nan"), "not_finite"),
        (float("inf"), "not_finite"),
        ("-inf", "not_finite"),
        ("nan", "not_finite"),
    ],
)
def test_number_error(value, expected):
    """Finite numbers pass; text, lists, NaN and infinities are named."""
    assert bounds.number_error(value) == expected


def test_negative_numbers_only_refused_when_asked():
    """A negative number is refused only for non-negative fields."""
    assert bounds.number_error(-1.0) is None
    assert bounds.number_error(-1.0, non_negative=True) == "negative"
    assert bounds.number_error(0.0, non_negative=True) is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 2), None),
        (date(2000, 1, 1), None),
        (date(2099, 12, 31), None),
        (date(1999, 12, 31), "too_early"),
        (date(2100, 1, 1), "too_late"),
        (date(9999, 12, 31), "too_late"),
        (None, None),
        (False, None),
    ],
)
def test_date_error(day, expected):
    """Only the years 2000 to 2099 are accepted."""
    assert bounds.date_error(day) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 1), date(2026, 1, 1), None),
        (date(2026, 1, 1), date(2030, 12, 31), None),
        (date(2026, 1, 1), date(2031, 1, 1), "too_long"),
        (date(2026, 1, 2), date(2026, 1, 1), "reversed"),
        (date(2026, 1, 1), date(2500, 1, 1), "too_late"),
        (date(1900, 1, 1), date(2026, 1, 1), "too_early"),
        (date(2028, 2, 29), date(2033, 2, 27), None),
        (date(2028, 2, 29), date(2033, 2, 28), "too_long"),
        (None, date(2026, 1, 1), None),
        (False, False, None),
    ],
)
def test_period_error(start, end, expected):
    """Periods end after they start and last at most five years by default."""
    assert bounds.period_error(start, end) == expected


def test_period_limit_follows_setting():
    """The maximum length comes from the caller; 0 disables it."""
    start, end = date(2026, 1, 1), date(2027, 6, 30)
    assert bounds.period_error(start, end, max_years=1) == "too_long"
    assert bounds.period_error(start, end, max_years=0) is None

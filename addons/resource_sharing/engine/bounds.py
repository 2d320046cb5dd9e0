"""Bounds on what a user may type: numbers and periods.

Each function returns ``None`` when the input is acceptable, else a short code
that the Odoo layer turns into a translated message naming the record. Nothing
here raises on bad input: bad input is the normal case these functions exist for.
"""

from __future__ import annotations

import math
from datetime import date

# Plans and forecasts of consultancy work never reach outside these years; a
# date beyond them is a typing error (2205 for 2025) or an attack (9999-12-31).
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)
DEFAULT_MAX_PERIOD_YEARS = 5


def number_error(value, non_negative: bool = False) -> str | None:
    """Why ``value`` is not an acceptable number, or ``None``.

    ``False`` and ``None`` are an empty field (0 for the ORM); numeric strings
    are accepted because imports and XML data pass numbers as text.
    """
    if value is None or value is False or value is True:
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return "not_a_number"
    elif not isinstance(value, int | float):
        return "not_a_number"
    if not math.isfinite(value):
        return "not_finite"
    if non_negative and value < 0:
        return "negative"
    return None


def date_error(value: date | None) -> str | None:
    """Why ``value`` is outside the years a plan may use, or ``None``."""
    if not value:
        return None
    if value < MIN_DATE:
        return "too_early"
    if value > MAX_DATE:
        return "too_late"
    return None


def period_error(
    date_start: date | None,
    date_end: date | None,
    max_years: int = DEFAULT_MAX_PERIOD_YEARS,
) -> str | None:
    """Why a period is not acceptable, or ``None``.

    A period may not end before it starts nor last longer than ``max_years``
    (counted on the calendar: 2026-01-01 to 2030-12-31 is five years).
    """
    for day in (date_start, date_end):
        error = date_error(day)
        if error:
            return error
    if not date_start or not date_end:
        return None
    if date_end < date_start:
        return "reversed"
    if max_years > 0 and date_end >= _add_years(date_start, max_years):
        return "too_long"
    return None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)

"""Tests for finding the earliest feasible start of a piece of work."""

from datetime import date, timedelta

import pytest
from resource_sharing_engine import feasibility

START = date(2026, 3, 2)  # Monday
LEAVE = {date(2026, 3, 4), date(2026, 3, 5)}  # Wed-Thu on leave
PUBLIC_HOLIDAY = date(2026, 3, 9)  # Monday of week 2


def _capacity(weeks: int = 3) -> dict[date, float]:
    """8 h on weekdays for some weeks, minus the leave and the public holiday."""
    capacity = {}
    for offset in range(weeks * 7):
        day = START + timedelta(days=offset)
        if day.weekday() < 5 and day not in LEAVE and day != PUBLIC_HOLIDAY:
            capacity[day] = 8.0
    return capacity


UNTIL = date(2026, 3, 22)  # Sunday, end of week 3


def test_earliest_start_skips_leave_and_public_holiday():
    """24 h in 3 days first fits on Tue 10 March, after leave and holiday."""
    result = feasibility.earliest_start(_capacity(), {}, 24.0, 3, START, UNTIL)
    assert result == date(2026, 3, 10)


def test_earliest_start_accounts_for_bookings():
    """A 4 h booking on Wed 11 March pushes the start to the next Monday."""
    booked = {date(2026, 3, 11): 4.0}
    result = feasibility.earliest_start(_capacity(), booked, 24.0, 3, START, UNTIL)
    assert result == date(2026, 3, 16)


def test_earliest_start_overbooked_day_counts_as_zero_free():
    """An overbooked Monday does not eat into Tuesday's free hours."""
    booked = {START: 12.0}
    result = feasibility.earliest_start(_capacity(), booked, 8.0, 2, START, UNTIL)
    assert result == START


def test_earliest_start_without_hours_returns_search_from():
    """Nothing to do can start right away."""
    assert feasibility.earliest_start({}, {}, 0.0, 5, START, UNTIL) == START
    assert feasibility.earliest_start({}, {}, -3.0, 5, START, UNTIL) == START


def test_earliest_start_window_longer_than_horizon_is_none():
    """A window that cannot fit in the horizon never matches."""
    horizon_end = START + timedelta(days=6)
    result = feasibility.earliest_start(_capacity(), {}, 1.0, 8, START, horizon_end)
    assert result is None


def test_earliest_start_window_equal_to_horizon():
    """A window as long as the horizon can only start on search_from."""
    result = feasibility.earliest_start(
        _capacity(), {}, 24.0, 7, START, START + timedelta(days=6)
    )
    assert result == START


def test_earliest_start_last_possible_start():
    """The window may end exactly on search_until (Fri 20 March)."""
    until = date(2026, 3, 20)
    result = feasibility.earliest_start(_capacity(), {}, 40.0, 5, START, until)
    assert result == date(2026, 3, 16)


def test_earliest_start_none_when_never_enough():
    """More hours than any window offers gives None."""
    assert feasibility.earliest_start(_capacity(), {}, 41.0, 5, START, UNTIL) is None


def test_earliest_start_tolerates_float_noise():
    """Free hours that sum to the need up to float noise are enough."""
    capacity = {START: 0.1, START + timedelta(days=1): 0.2}
    result = feasibility.earliest_start(capacity, {}, 0.3, 2, START, UNTIL)
    assert result == START


def test_earliest_start_rejects_empty_window():
    """window_days below 1 is a caller error."""
    with pytest.raises(ValueError):
        feasibility.earliest_start(_capacity(), {}, 8.0, 0, START, UNTIL)


def test_earliest_start_any_takes_the_minimum():
    """The earliest of all candidates wins; hopeless candidates are ignored."""
    busy = dict.fromkeys(_capacity(), 8.0)
    free_from_wednesday = {
        d: h for d, h in _capacity().items() if d >= date(2026, 3, 11)
    }
    candidates = [(_capacity(), busy), (free_from_wednesday, {}), (_capacity(), {})]
    result = feasibility.earliest_start_any(candidates, 16.0, 2, START, UNTIL)
    assert result == START
    result = feasibility.earliest_start_any(candidates[:2], 16.0, 2, START, UNTIL)
    assert result == date(2026, 3, 11)


def test_earliest_start_any_none_without_feasible_candidate():
    """No candidate, or none that fits, gives None."""
    assert feasibility.earliest_start_any([], 8.0, 1, START, UNTIL) is None
    assert feasibility.earliest_start_any([({}, {})], 8.0, 1, START, UNTIL) is None

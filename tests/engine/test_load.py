"""Tests for the per-day load arithmetic."""

from datetime import date

import pytest
from resource_sharing_engine import load

MON = date(2026, 3, 2)
TUE = date(2026, 3, 3)
WED = date(2026, 3, 4)
THU = date(2026, 3, 5)
FRI = date(2026, 3, 6)
SAT = date(2026, 3, 7)
SUN = date(2026, 3, 8)

FULL_TIME = {MON: 8.0, TUE: 8.0, WED: 8.0, THU: 8.0, FRI: 8.0}
# Part-time week (Wed and Fri half days) with a public holiday on Thursday.
PART_TIME_HOLIDAY = {MON: 8.0, TUE: 8.0, WED: 4.0, FRI: 4.0}


def test_spread_part_time_week_with_holiday():
    """Hours follow capacity; the holiday gets nothing and is omitted."""
    result = load.spread_hours(12.0, PART_TIME_HOLIDAY, MON, FRI)
    assert result == {MON: 4.0, TUE: 4.0, WED: 2.0, FRI: 2.0}


def test_spread_ignores_capacity_outside_range():
    """Only the days of the requested range receive hours."""
    result = load.spread_hours(10.0, FULL_TIME, TUE, WED)
    assert result == {TUE: 5.0, WED: 5.0}


def test_spread_skips_weekend_without_capacity():
    """A Fri-Mon allocation lands on Friday and Monday only."""
    capacity = {FRI: 8.0, date(2026, 3, 9): 8.0}
    result = load.spread_hours(6.0, capacity, FRI, date(2026, 3, 9))
    assert result == {FRI: 3.0, date(2026, 3, 9): 3.0}


def test_spread_rounding_remainder_on_last_day():
    """10 h over three equal days: 3.3333 twice and the remainder 3.3334 last."""
    result = load.spread_hours(10.0, FULL_TIME, MON, WED)
    assert result == {MON: 3.3333, TUE: 3.3333, WED: 3.3334}
    assert round(sum(result.values()), 4) == 10.0


def test_spread_rounding_sum_is_exact_over_seven_days():
    """1 h over seven equal days keeps the exact total."""
    capacity = dict.fromkeys((MON, TUE, WED, THU, FRI, SAT, SUN), 1.0)
    result = load.spread_hours(1.0, capacity, MON, SUN)
    assert [result[d] for d in (MON, TUE, WED, THU, FRI, SAT)] == [0.1429] * 6
    assert result[SUN] == 0.1426
    assert round(sum(result.values()), 4) == 1.0


def test_spread_empty_capacity_falls_back_to_even_spread():
    """Without any capacity the hours are spread evenly over calendar days."""
    assert load.spread_hours(6.0, {}, SAT, SUN) == {SAT: 3.0, SUN: 3.0}


def test_spread_zero_capacity_values_fall_back_to_even_spread():
    """Explicit zero capacities behave like missing days."""
    capacity = {MON: 0.0, TUE: 0.0, WED: 0.0, THU: 0.0}
    result = load.spread_hours(10.0, capacity, MON, THU)
    assert result == {MON: 2.5, TUE: 2.5, WED: 2.5, THU: 2.5}


def test_spread_zero_hours_gives_empty_load():
    """Nothing to book means no load at all."""
    assert load.spread_hours(0.0, FULL_TIME, MON, FRI) == {}


def test_spread_rejects_inverted_range():
    """An end before the start is a caller error."""
    with pytest.raises(ValueError):
        load.spread_hours(8.0, FULL_TIME, FRI, MON)


def test_spread_rejects_negative_hours():
    """Negative hours are a caller error."""
    with pytest.raises(ValueError):
        load.spread_hours(-1.0, FULL_TIME, MON, FRI)


def test_add_loads_sums_per_day():
    """Overlapping days add up, disjoint days are kept."""
    result = load.add_loads({MON: 2.0, TUE: 3.0}, {TUE: 1.5, WED: 4.0})
    assert result == {MON: 2.0, TUE: 4.5, WED: 4.0}
    assert load.add_loads() == {}


def test_free_hours_never_counts_overbooking_as_negative():
    """An overbooked day contributes 0, not minus the excess."""
    booked = {MON: 10.0, TUE: 3.0, SAT: 2.0}
    assert load.free_hours(FULL_TIME, booked, MON, SUN) == 0 + 5 + 8 + 8 + 8


def test_free_hours_limited_to_range():
    """Days outside the range are ignored."""
    assert load.free_hours(FULL_TIME, {WED: 6.0}, TUE, WED) == 10.0


def test_three_forty_percent_loads_overload_every_day():
    """Three 40 % allocations make 120 %: every working day is overloaded."""
    one = load.spread_hours(16.0, FULL_TIME, MON, FRI)
    assert one[MON] == 3.2
    total = load.add_loads(one, one, one)
    result = load.overloaded_days(FULL_TIME, total)
    assert [o.day for o in result] == [MON, TUE, WED, THU, FRI]
    assert all(o.limit == 8.0 for o in result)
    assert result[0].load == pytest.approx(9.6)
    assert result[0].excess == pytest.approx(1.6)


def test_tolerance_of_25_percent_accepts_120_percent():
    """With 25 % tolerance a 120 % load is fine."""
    one = load.spread_hours(16.0, FULL_TIME, MON, FRI)
    total = load.add_loads(one, one, one)
    assert load.overloaded_days(FULL_TIME, total, tolerance=0.25) == []


def test_tolerance_boundary_is_not_overloaded():
    """A load exactly at capacity * (1 + tolerance) is accepted."""
    assert load.overloaded_days({MON: 8.0}, {MON: 9.6}, tolerance=0.2) == []
    assert len(load.overloaded_days({MON: 8.0}, {MON: 9.61}, tolerance=0.2)) == 1


def test_load_without_capacity_is_overloaded_and_sorted():
    """Weekend load is an overload with limit 0; results come sorted by day."""
    result = load.overloaded_days(FULL_TIME, {SAT: 2.0, MON: 9.0, TUE: 8.0})
    assert result == [
        load.Overload(day=MON, load=9.0, limit=8.0),
        load.Overload(day=SAT, load=2.0, limit=0.0),
    ]
    assert result[1].excess == 2.0


def test_utilization_ratio_and_overbooking():
    """Booked over capacity, including hours booked on days without capacity."""
    assert load.utilization(FULL_TIME, {MON: 8.0, TUE: 8.0, WED: 4.0}, MON, FRI) == 0.5
    booked = {MON: 8.0, TUE: 8.0, WED: 8.0, FRI: 8.0, SAT: 8.0}
    assert load.utilization(PART_TIME_HOLIDAY, booked, MON, SUN) == 40.0 / 24.0


def test_utilization_zero_capacity_is_zero():
    """No capacity in the range gives 0.0 instead of dividing by zero."""
    assert load.utilization(FULL_TIME, {SAT: 5.0}, SAT, SUN) == 0.0


def test_leave_impact_day_off_takes_the_booking():
    """A full day off takes each booking's hours of that day."""
    before = {(1, MON): (8.0, {"a": 5.0, "b": 3.0}), (1, TUE): (8.0, {"a": 8.0})}
    after = {(1, TUE): (8.0, {"a": 8.0})}
    impacts = load.leave_impacts(before, after)
    assert impacts["a"].lost == 5.0
    assert impacts["b"].lost == 3.0
    assert impacts["a"].days == {MON}
    assert impacts["a"].regained == 0.0


def test_leave_impact_half_day_takes_half():
    """Half a day off takes half of the day's booked hours."""
    before = {(1, WED): (8.0, {"a": 6.0})}
    after = {(1, WED): (4.0, {"a": 6.0})}
    assert load.leave_impacts(before, after)["a"].lost == 3.0


def test_leave_impact_restored_day_gives_back():
    """Removing the leave gives the hours back; an unchanged day counts nothing."""
    before = {(1, THU): (8.0, {"a": 10.0})}
    after = {(1, MON): (8.0, {"a": 8.0}), (1, THU): (8.0, {"a": 8.0})}
    impacts = load.leave_impacts(before, after)
    assert impacts["a"].regained == 8.0
    assert impacts["a"].lost == 0.0
    assert not impacts["a"].days


def test_leave_impact_nothing_booked():
    """A leave on days without bookings affects nobody."""
    assert load.leave_impacts({(1, MON): (8.0, {})}, {}) == {}

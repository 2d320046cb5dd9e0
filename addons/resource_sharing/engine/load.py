"""Day-level load arithmetic: spreading bookings and comparing them to capacity.

Capacities and loads are ``dict[date, float]`` in hours; a day missing from a
dict counts as 0 hours.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

EPSILON = 1e-6  # hours below this are rounding noise
_EPSILON = EPSILON
_DIGITS = 4

Hours = Mapping[date, float]


def _iter_days(date_start: date, date_end: date) -> Iterator[date]:
    """Yield every calendar day of the inclusive range, validating its bounds."""
    if date_end < date_start:
        raise ValueError(f"date_end {date_end} is before date_start {date_start}")
    for offset in range((date_end - date_start).days + 1):
        yield date_start + timedelta(days=offset)


def spread_hours(
    total_hours: float,
    capacity: Hours,
    date_start: date,
    date_end: date,
) -> dict[date, float]:
    """Turn an allocation's total hours into a per-day load.

    Hours follow the consultant's capacity so that a part-time day or a holiday
    takes less (or nothing). When the whole range has no capacity the hours are
    spread evenly over its calendar days so that they never disappear. Values
    are rounded to 4 decimals and the rounding remainder goes to the last day,
    so the result always sums to ``total_hours``. A total of 0 gives ``{}``.
    """
    if total_hours < 0:
        raise ValueError(f"total_hours must not be negative, got {total_hours}")
    days = list(_iter_days(date_start, date_end))
    if total_hours == 0:
        return {}
    weights = {day: max(0.0, capacity.get(day, 0.0)) for day in days}
    weights = {day: weight for day, weight in weights.items() if weight > 0}
    if not weights:
        weights = dict.fromkeys(days, 1.0)
    weight_total = math.fsum(weights.values())

    result: dict[date, float] = {}
    ordered = list(weights)
    for day in ordered[:-1]:
        result[day] = round(total_hours * weights[day] / weight_total, _DIGITS)
    last = ordered[-1]
    result[last] = round(total_hours - math.fsum(result.values()), _DIGITS)
    return result


def add_loads(*loads: Hours) -> dict[date, float]:
    """Combine several per-day loads (e.g. all allocations of one consultant)."""
    total: dict[date, float] = {}
    for one_load in loads:
        for day, hours in one_load.items():
            total[day] = total.get(day, 0.0) + hours
    return dict(sorted(total.items()))


def free_hours(
    capacity: Hours, booked: Hours, date_start: date, date_end: date
) -> float:
    """Hours still bookable in the range; an overbooked day counts as 0, not less."""
    return math.fsum(
        max(0.0, capacity.get(day, 0.0) - booked.get(day, 0.0))
        for day in _iter_days(date_start, date_end)
    )


@dataclass(frozen=True)
class Overload:
    """One day on which a consultant is booked beyond the accepted limit."""

    day: date
    load: float
    limit: float

    @property
    def excess(self) -> float:
        """Hours above the limit, i.e. what has to be moved elsewhere."""
        return self.load - self.limit


def overloaded_days(
    capacity: Hours, load: Hours, tolerance: float = 0.0
) -> list[Overload]:
    """List the days where the load exceeds capacity, to flag over-staffing.

    ``tolerance`` is a fraction of capacity that may be exceeded (0.1 = 10 %).
    A day with load but no capacity (weekend, leave) is always overloaded.
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must not be negative, got {tolerance}")
    result = []
    for day in sorted(load):
        hours = load[day]
        limit = max(0.0, capacity.get(day, 0.0)) * (1.0 + tolerance)
        if hours > limit + _EPSILON:
            result.append(Overload(day=day, load=hours, limit=limit))
    return result


def utilization(
    capacity: Hours, booked: Hours, date_start: date, date_end: date
) -> float:
    """Share of capacity booked in the range (may exceed 1.0); 0.0 without capacity."""
    days = list(_iter_days(date_start, date_end))
    capacity_total = math.fsum(max(0.0, capacity.get(day, 0.0)) for day in days)
    if capacity_total <= 0:
        return 0.0
    booked_total = math.fsum(booked.get(day, 0.0) for day in days)
    return booked_total / capacity_total


@dataclass
class LeaveImpact:
    """What a change of capacity did to one booking."""

    lost: float = 0.0
    regained: float = 0.0
    days: set = field(default_factory=set)


def leave_impacts(before, after):
    """Hours each booking loses to a capacity drop, or gets back from a rise.

    ``before`` and ``after`` map ``(consultant, day)`` to ``(capacity,
    {booking: hours})``; a missing day has no capacity and no bookings. On a
    day whose capacity drops, a booking loses its share of the drop (a day
    off takes all of the day's hours, half a day off half of them); on a day
    whose capacity rises, it gets back the same share of the new capacity. The
    days lost are those where a booking lost hours.

    :return: {booking: LeaveImpact}
    """
    impacts: dict = {}
    for key in before.keys() | after.keys():
        old_capacity, old_bookings = before.get(key, (0.0, {}))
        new_capacity, new_bookings = after.get(key, (0.0, {}))
        change = new_capacity - old_capacity
        if change < -_EPSILON and old_capacity > 0:
            for booking, hours in old_bookings.items():
                lost = hours * -change / old_capacity
                if lost > _EPSILON:
                    impact = impacts.setdefault(booking, LeaveImpact())
                    impact.lost += lost
                    impact.days.add(key[1])
        elif change > _EPSILON and new_capacity > 0:
            for booking, hours in new_bookings.items():
                regained = hours * change / new_capacity
                if regained > _EPSILON:
                    impacts.setdefault(booking, LeaveImpact()).regained += regained
    for impact in impacts.values():
        impact.lost = round(impact.lost, _DIGITS)
        impact.regained = round(impact.regained, _DIGITS)
    return impacts

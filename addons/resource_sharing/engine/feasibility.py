"""Answer "when could this work start?" from capacities and existing bookings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import accumulate

from .load import Hours, _iter_days

_EPSILON = 1e-6


def earliest_start(
    capacity: Hours,
    booked: Hours,
    hours_needed: float,
    window_days: int,
    search_from: date,
    search_until: date,
) -> date | None:
    """First start day whose window of ``window_days`` has enough free hours.

    The window ``[d, d + window_days - 1]`` must lie inside the search horizon
    ``[search_from, search_until]`` (the range the caller has capacity data
    for), so a window longer than the horizon gives ``None``. Free hours are
    ``max(0, capacity - booked)`` per day. Uses prefix sums: O(days in horizon).
    """
    if window_days < 1:
        raise ValueError(f"window_days must be at least 1, got {window_days}")
    days = list(_iter_days(search_from, search_until))
    if hours_needed <= 0:
        return search_from
    if window_days > len(days):
        return None
    free = (max(0.0, capacity.get(day, 0.0) - booked.get(day, 0.0)) for day in days)
    prefix = [0.0, *accumulate(free)]
    threshold = hours_needed - _EPSILON
    for index in range(len(days) - window_days + 1):
        if prefix[index + window_days] - prefix[index] >= threshold:
            return search_from + timedelta(days=index)
    return None


def earliest_start_any(
    candidates: Iterable[tuple[Hours, Hours]],
    hours_needed: float,
    window_days: int,
    search_from: date,
    search_until: date,
) -> date | None:
    """Earliest start over several ``(capacity, booked)`` candidates, or ``None``.

    Used to tell when *someone* (e.g. anyone with the required skill) could
    take the work.
    """
    best: date | None = None
    for capacity, booked in candidates:
        start = earliest_start(
            capacity, booked, hours_needed, window_days, search_from, search_until
        )
        if start is not None and (best is None or start < best):
            best = start
            if best == search_from:
                break
    return best

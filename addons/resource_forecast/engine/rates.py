"""Effective-dated rates: the rate valid on a day is the last one started."""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date


class RateSchedule:
    """Rates of one consultant, each valid from its start until the next one."""

    def __init__(self, steps: Iterable[tuple[date, float]], default: float = 0.0):
        ordered = sorted(steps)
        days = [day for day, _rate in ordered]
        if len(set(days)) != len(days):
            raise ValueError("two rates start on the same day")
        if any(rate < 0 for _day, rate in ordered):
            raise ValueError("a rate cannot be negative")
        self._days = days
        self._rates = [rate for _day, rate in ordered]
        self.default = default

    def rate_on(self, day: date) -> float:
        """The rate valid on ``day``; the default before the first step."""
        index = bisect_right(self._days, day)
        return self._rates[index - 1] if index else self.default

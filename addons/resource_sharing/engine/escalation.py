"""The escalation ladder: steps in days after a request's staffing deadline."""

from __future__ import annotations

import re
from datetime import date, timedelta

# one step per rung: the PMO manager, then the engagement manager's manager
MAX_STEPS = 2


class LadderError(ValueError):
    """A ladder that cannot be used; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_ladder(text: str | None) -> tuple[int, ...]:
    """Turn ``"1, 3"`` into ``(1, 3)``; an empty text is an empty ladder.

    Raises :class:`LadderError` with code ``not_days`` (not whole positive
    numbers), ``not_increasing`` or ``too_many``.
    """
    parts = [part.strip() for part in (text or "").split(",")]
    if parts == [""]:
        return ()
    if not all(re.fullmatch(r"[0-9]+", part) and int(part) > 0 for part in parts):
        raise LadderError("not_days")
    days = tuple(int(part) for part in parts)
    if any(later <= earlier for earlier, later in zip(days, days[1:], strict=False)):
        raise LadderError("not_increasing")
    if len(days) > MAX_STEPS:
        raise LadderError("too_many")
    return days


def reached_step(deadline: date, today: date, ladder: tuple[int, ...]) -> int:
    """Steps due by ``today``: step n fires ``ladder[n - 1]`` days after deadline."""
    return sum(1 for days in ladder if today >= deadline + timedelta(days=days))

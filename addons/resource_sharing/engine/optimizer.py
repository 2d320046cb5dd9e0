"""Staff many positions at once: a CP-SAT model, a first-fit baseline, totals.

The optimizer answers the PMO's weekly puzzle: given open positions (hours,
period, escalation, allowed number of consultants) and, for each, candidates
already scored by :mod:`.ranking`, which consultant works how many hours on
which position, so that, in this order,

1. the hours of escalated positions filled are maximal,
2. then the hours filled overall are maximal,
3. then the total fit score is maximal, counted as ``score x hours`` (a
   consultant who fits better should carry more of the hours),
4. then the hours given to external consultants are minimal (ties only).

Model (kept small on purpose)
-----------------------------
* One integer variable ``x[p, c]`` per position and pruned candidate: the
  hours ``c`` works on ``p`` over the whole period of ``p``, and one boolean
  ``used[p, c]`` (``x >= 1`` when used, ``x == 0`` otherwise). Candidates are
  pruned per position to the ``top_k`` best of the ranking (score, internal
  first, key), after dropping those lacking a mandatory skill or without a
  free hour in the period.
* Per-day capacity without per-day variables. Hours of one consultant can be
  laid out on the days of the positions' periods within the free hours of each
  day if and only if, for every window ``[a, b]`` (``a`` a start, ``b`` an end
  of one of their periods), the hours of the positions whose period lies
  inside the window do not exceed the free hours of the window (Hall's
  condition for this transport problem; a union of periods splits into
  windows). Windows that cannot bind (their positions' upper bounds already
  fit) are left out; a window holding one position is the variable's upper
  bound. The days are laid out after the solve by a min-cost flow (earliest
  days first), which proves the capacity holds day by day.
* Free hours are counted in hundredths of an hour, per day; hours assigned are
  whole hours.
* At most ``max_consultants`` consultants per position; at most the needed
  hours per position.
* Internal before external: an external consultant may work on a position
  only if every internal candidate of that position with a score at least as
  high is *saturated*: one of their capacity windows holding the position is
  full (or they already give the position all they have). So an external
  consultant only takes what an equally good internal one cannot. Pruning
  keeps this sound: the ranking puts internal consultants before external ones
  on equal scores, so no internal consultant with a score at least as high is
  pruned while an external one is kept.

Lexicographic solving: one CP-SAT model solved in sequence, each stage adding
``objective >= best value found`` (``<=`` for minimising) of the stage before
and starting from its solution as a hint. A stage stopped by the time limit
keeps its best solution found and the next stage starts from there.

Search: CP-SAT branches on its LP relaxation (``LP_SEARCH``); the model is a
transport problem with a few side constraints and its LP bound is tight or
nearly so, where the default search climbs towards it one hour at a time. A
stage's first solve stops after ``MAIN_DTIME`` of CP-SAT's deterministic time;
if it has not proved its optimum, rounds of large-neighbourhood search follow:
each frees the positions around a random one (those sharing candidates with
it), fixes everything else to the current plan and solves that small model;
they stop at the bound (within ``score_gap`` for the score stage, 0.1 % by
default), after ``ROUNDS_WITHOUT_GAIN`` rounds without gain, or when the
stage's share of the time is spent (three quarters of what is left, so later
stages always get some).

Determinism: one search worker (``workers=1``), a fixed seed, deterministic
time limits per solve and a seeded choice of neighbourhoods, so the same data
gives the same plan as long as no stage is cut by the wall clock. The
wall-clock ``time_limit`` covers the whole call (model, stages, day layout);
when it strikes, the best plan found so far is kept and
``SolveStats.stopped_by_wall_clock`` tells, since how far the search got then
depends on the machine. ``workers=2`` runs CP-SAT's own parallel portfolio for
the first solve of each stage, which is no longer deterministic.

Escalation reshuffle (``movable`` bookings): tentative bookings of other work
that may be moved. Their hours are freed and must be placed again, in full,
inside their own period, on their own consultant or another qualified one; a
stage right after the escalated hours minimises the hours moved to another
consultant, then the days are laid out keeping each booking on its own days
where possible. What changed is listed as moves.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from .ranking import CandidateFacts, SkillNeed, missing_mandatory, score_candidate

SCORE_SCALE = 10  # fit scores (0-100, one decimal) become integers 0-1000
DEFAULT_TOP_K = 8
DEFAULT_MAX_CONSULTANTS = 2
DEFAULT_SEED = 42
# relative gap at which the score stage stops: the bound of that stage closes
# very slowly while the hours stages are exact in practice
DEFAULT_SCORE_GAP = 0.001
# a stage's first solve stops after this much deterministic time (CP-SAT's
# work counter, about 10 s here) when it has not proved its optimum; rounds
# of neighbourhood search then improve its plan, each with this much at most
MAIN_DTIME = 1.0
ROUND_DTIME = 0.05
ROUNDS_WITHOUT_GAIN = 40
NEIGHBOURHOOD_SHARE = 0.1  # of the positions, freed per round
# part of the time limit kept for laying the hours out on days after the solve
LAYOUT_RESERVE = 1.0  # seconds at most
LAYOUT_RESERVE_SHARE = 0.02
CENTS = 100  # free hours are counted in hundredths of an hour

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


# ---------------------------------------------------------------- input


@dataclass(frozen=True)
class Position:
    """One position to fill: ``needed_hours`` within ``[date_start, date_end]``."""

    key: int
    needed_hours: int
    date_start: date
    date_end: date
    escalated: bool = False
    max_consultants: int = DEFAULT_MAX_CONSULTANTS
    skill_needs: tuple[SkillNeed, ...] = ()
    sold_rate: float | None = None
    name: str = ""


@dataclass(frozen=True)
class Consultant:
    """A consultant's free hours per day (after every booking) and facts.

    ``skills`` (skill key -> progress) is checked against the positions'
    mandatory skills when given; ``None`` trusts the candidate lists.
    """

    key: int
    free_hours: Mapping[date, float]
    is_external: bool = False
    skills: Mapping[int, int] | None = None
    cost_rate: float | None = None
    on_bench: bool = False
    name: str = ""


@dataclass(frozen=True)
class Candidate:
    """A consultant proposed for a position with the ranking's score x SCORE_SCALE."""

    position_key: int
    consultant_key: int
    score: int


@dataclass(frozen=True)
class Booking:
    """A tentative booking the reshuffle may move: ``hours`` on ``position_key``.

    Its hours must be part of the consultant's ``free_hours`` already (the
    caller frees them); ``days`` is where they are today. Unless ``split``, the
    booking stays whole: all its hours go to one consultant.
    """

    key: int
    position_key: int
    consultant_key: int
    hours: int
    days: Mapping[date, float] = field(default_factory=dict)
    split: bool = False


# ---------------------------------------------------------------- output


@dataclass(frozen=True)
class Assignment:
    """Hours of one consultant on one position, laid out per day."""

    position_key: int
    consultant_key: int
    hours: int
    score: int
    is_external: bool
    days: Mapping[date, float]
    booking_key: int | None = None  # set for a (re)placed movable booking


@dataclass(frozen=True)
class Move:
    """A movable booking that changes consultant or days in the reshuffle."""

    booking_key: int
    position_key: int
    from_consultant_key: int
    to_consultant_key: int
    hours: int
    days: Mapping[date, float]

    @property
    def reassigned(self) -> bool:
        """Whether the work goes to another consultant (else only its days move)."""
        return self.from_consultant_key != self.to_consultant_key


@dataclass(frozen=True)
class StageResult:
    """Outcome of one lexicographic stage."""

    name: str
    status: str
    objective: int
    bound: float
    seconds: float = field(default=0.0, compare=False)

    @property
    def gap(self) -> float:
        """Relative distance between the value found and CP-SAT's best bound."""
        if self.objective == self.bound:
            return 0.0
        return abs(self.bound - self.objective) / max(1.0, abs(self.bound))


@dataclass(frozen=True)
class SolveStats:
    """Model size and solve figures of an optimizer run."""

    variables: int
    constraints: int
    candidates: int
    wall_time: float
    stages: tuple[StageResult, ...]
    stopped_by_wall_clock: bool = False

    @property
    def gap(self) -> float:
        """Largest relative gap over the stages (0.0 when all proved optimal)."""
        return max((stage.gap for stage in self.stages), default=0.0)

    @property
    def optimal(self) -> bool:
        """Whether every stage was proved optimal."""
        return all(stage.status == "optimal" for stage in self.stages)


@dataclass(frozen=True)
class Plan:
    """Assignments of a run (new work) plus the moves of a reshuffle."""

    method: str
    assignments: tuple[Assignment, ...]
    moves: tuple[Move, ...] = ()
    stats: SolveStats | None = None

    def hours_by_position(self) -> dict[int, int]:
        """Hours of new work per position key."""
        result: dict[int, int] = {}
        for assignment in self.assignments:
            if assignment.booking_key is None:
                result[assignment.position_key] = (
                    result.get(assignment.position_key, 0) + assignment.hours
                )
        return result


@dataclass(frozen=True)
class Totals:
    """What a plan achieves, to put plans side by side."""

    method: str
    filled_hours: int
    escalated_hours: int
    total_score: float  # sum of score x hours, in score points x hours
    bench_hours_removed: int
    external_hours: int
    cost: float | None
    revenue: float | None
    margin: float | None
    positions_unfilled: int


# ---------------------------------------------------------------- helpers


def scale_score(total: float) -> int:
    """A ranking total (0-100, one decimal) as the optimizer's integer score."""
    return int(round(total * SCORE_SCALE))


def candidates_from_facts(
    position: Position, facts: Iterable[CandidateFacts]
) -> list[Candidate]:
    """Score consultants for a position with the ranking; the eligible ones only."""
    result = []
    for fact in facts:
        score = score_candidate(fact, position.skill_needs)
        if score.eligible:
            result.append(
                Candidate(position.key, fact.employee_key, scale_score(score.total))
            )
    return result


def _days(position: Position) -> list[date]:
    return [
        position.date_start + timedelta(days=offset)
        for offset in range((position.date_end - position.date_start).days + 1)
    ]


def _cents(hours: float) -> int:
    return max(0, int(round(hours * CENTS)))


def _prefix(free: Mapping[date, int]) -> tuple[int | None, list[int]]:
    """First day (ordinal) and running totals of free cents from that day on."""
    days = [day for day, cents in free.items() if cents > 0]
    if not days:
        return None, [0]
    first = min(days).toordinal()
    totals = [0] * (max(days).toordinal() - first + 2)
    for day in days:
        totals[day.toordinal() - first + 1] = free[day]
    for index in range(1, len(totals)):
        totals[index] += totals[index - 1]
    return first, totals


def _check_positions(positions: Sequence[Position]) -> dict[int, Position]:
    if not positions:
        raise ValueError("The scope is empty: give at least one position to staff.")
    by_key: dict[int, Position] = {}
    for position in positions:
        if position.key in by_key:
            raise ValueError(f"Position {position.key} is given twice.")
        if position.needed_hours < 0:
            raise ValueError(f"Position {position.key} needs negative hours.")
        if position.date_end < position.date_start:
            raise ValueError(f"Position {position.key} ends before it starts.")
        if position.max_consultants < 1:
            raise ValueError(
                f"Position {position.key} must allow at least one consultant."
            )
        by_key[position.key] = position
    if not any(position.needed_hours > 0 for position in positions):
        raise ValueError("Nothing to staff: no position of the scope needs hours.")
    return by_key


class _Instance:
    """Validated input with capacities in cents and pruned, ordered candidates."""

    def __init__(self, positions, consultants, candidates, top_k):
        if top_k is not None and top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        self.positions = _check_positions(positions)
        self.order = [position.key for position in positions]
        self.consultants = {consultant.key: consultant for consultant in consultants}
        self.free = {
            key: {day: _cents(hours) for day, hours in c.free_hours.items()}
            for key, c in self.consultants.items()
        }
        self._prefix = {key: _prefix(free) for key, free in self.free.items()}
        self.candidates = self._prune(candidates, top_k)

    def period_cents(self, consultant_key: int, start: date, end: date) -> int:
        """Free hundredths of an hour of the consultant in ``[start, end]``."""
        first, prefix = self._prefix[consultant_key]
        if first is None:
            return 0
        last = len(prefix) - 1

        def before(day):  # free cents on the days before ``day``
            return prefix[min(max(day.toordinal() - first, 0), last)]

        return before(end + timedelta(days=1)) - before(start)

    def _prune(self, candidates, top_k) -> dict[int, list[Candidate]]:
        """Qualified candidates with free hours, best first, top_k per position."""
        grouped: dict[int, dict[int, Candidate]] = {key: {} for key in self.order}
        for candidate in candidates:
            position = self.positions.get(candidate.position_key)
            consultant = self.consultants.get(candidate.consultant_key)
            if position is None or consultant is None:
                raise ValueError(
                    f"Candidate {candidate.consultant_key} for position "
                    f"{candidate.position_key}: unknown position or consultant."
                )
            if consultant.skills is not None and missing_mandatory(
                consultant.skills, position.skill_needs
            ):
                continue
            if (
                self.period_cents(
                    consultant.key, position.date_start, position.date_end
                )
                < CENTS
            ):
                continue
            grouped[position.key][consultant.key] = candidate
        result = {}
        for key, by_consultant in grouped.items():
            ordered = sorted(by_consultant.values(), key=self.rank_key)
            result[key] = ordered[:top_k] if top_k else ordered
        return result

    def rank_key(self, candidate: Candidate):
        return (
            -candidate.score,
            self.consultants[candidate.consultant_key].is_external,
            candidate.consultant_key,
        )


# ---------------------------------------------------------------- greedy


def greedy_first_fit(
    positions: Sequence[Position],
    consultants: Sequence[Consultant],
    candidates: Iterable[Candidate],
    top_k: int | None = None,
) -> Plan:
    """First fit: positions in the given order, best-ranked consultant first.

    Each consultant gives the position what is free in its period, earliest
    days first, until the position is full or has its maximum of consultants.
    This is what most planning tools' "auto plan" does.
    """
    instance = _Instance(positions, consultants, candidates, top_k)
    free = {key: dict(days) for key, days in instance.free.items()}
    assignments = []
    for position_key in instance.order:
        position = instance.positions[position_key]
        remaining = position.needed_hours
        used = 0
        for candidate in instance.candidates[position_key]:
            if remaining <= 0 or used >= position.max_consultants:
                break
            days = _days(position)
            available = sum(free[candidate.consultant_key].get(d, 0) for d in days)
            hours = min(remaining, available // CENTS)
            if hours <= 0:
                continue
            layout = _take_earliest(free[candidate.consultant_key], days, hours)
            assignments.append(
                Assignment(
                    position_key=position_key,
                    consultant_key=candidate.consultant_key,
                    hours=hours,
                    score=candidate.score,
                    is_external=instance.consultants[
                        candidate.consultant_key
                    ].is_external,
                    days=layout,
                )
            )
            remaining -= hours
            used += 1
    return Plan(method="greedy", assignments=tuple(assignments))


def _take_earliest(free: dict[date, int], days: list[date], hours: int):
    """Consume ``hours`` from the earliest free days; return the hours per day."""
    left = hours * CENTS
    layout = {}
    for day in days:
        if left <= 0:
            break
        taken = min(free.get(day, 0), left)
        if taken > 0:
            free[day] -= taken
            layout[day] = taken / CENTS
            left -= taken
    return layout


# ---------------------------------------------------------------- optimizer


class _Model:
    """The CP-SAT model of one instance and the expressions of its stages."""

    def __init__(self, instance: _Instance, bookings: Sequence[Booking]):
        self.instance = instance
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.used: dict[tuple[int, int], cp_model.IntVar] = {}
        self.score: dict[tuple[int, int], int] = {}
        self.bookings = {booking.key: booking for booking in bookings}
        # booking key -> consultant key -> hours variable
        self.y: dict[int, dict[int, cp_model.IntVar]] = {}
        self.upper: dict[tuple[int, int], int] = {}
        # consultant -> (hours variable, position, upper bound, is new work)
        self.load: dict[int, list[tuple]] = {}
        # consultant -> binding windows: (free hours, items inside, their sum)
        self.windows: dict[int, list[tuple]] = {}
        self._full: dict[tuple, cp_model.IntVar] = {}  # saturation literals
        self._build()

    # -- building

    def _build(self):
        instance = self.instance
        for position_key in instance.order:
            position = instance.positions[position_key]
            if not position.needed_hours:
                continue
            used_here = []
            for candidate in instance.candidates[position_key]:
                var, used = self._add_pair(position, candidate)
                used_here.append(used)
            if used_here:
                self.model.Add(sum(used_here) <= position.max_consultants)
                self.model.Add(
                    sum(
                        self.x[position_key, c.consultant_key]
                        for c in instance.candidates[position_key]
                    )
                    <= position.needed_hours
                )
        self._add_bookings()
        for consultant_key, loads in self.load.items():
            self._add_windows(consultant_key, loads)
        self._add_internal_first()

    def _add_pair(self, position: Position, candidate: Candidate):
        consultant_key = candidate.consultant_key
        cap = self.instance.period_cents(
            consultant_key, position.date_start, position.date_end
        )
        upper = min(position.needed_hours, cap // CENTS)
        key = (position.key, consultant_key)
        var = self.model.NewIntVar(0, upper, f"x_{position.key}_{consultant_key}")
        used = self.model.NewBoolVar(f"u_{position.key}_{consultant_key}")
        self.model.Add(var >= 1).OnlyEnforceIf(used)
        self.model.Add(var <= upper * used)
        self.x[key] = var
        self.used[key] = used
        self.upper[key] = upper
        self.score[key] = candidate.score
        self.load.setdefault(consultant_key, []).append((var, position, upper, True))
        return var, used

    def _add_bookings(self):
        """Movable bookings: their hours placed again, in full, in their period."""
        instance = self.instance
        for booking in self.bookings.values():
            position = instance.positions[booking.position_key]
            targets = [booking.consultant_key] + [
                c.consultant_key
                for c in instance.candidates.get(booking.position_key, ())
                if c.consultant_key != booking.consultant_key
            ]
            variables = {}
            for consultant_key in targets:
                cap = instance.period_cents(
                    consultant_key, position.date_start, position.date_end
                )
                upper = min(booking.hours, cap // CENTS)
                var = self.model.NewIntVar(
                    0, upper, f"y_{booking.key}_{consultant_key}"
                )
                variables[consultant_key] = var
                self.load.setdefault(consultant_key, []).append(
                    (var, position, upper, False)
                )
            self.model.Add(sum(variables.values()) == booking.hours)
            if not booking.split:
                chosen = []
                for consultant_key, var in variables.items():
                    literal = self.model.NewBoolVar(f"z_{booking.key}_{consultant_key}")
                    self.model.Add(var == booking.hours).OnlyEnforceIf(literal)
                    self.model.Add(var == 0).OnlyEnforceIf(literal.Not())
                    chosen.append(literal)
                self.model.AddExactlyOne(chosen)
            self.y[booking.key] = variables

    def _add_windows(self, consultant_key, loads):
        """Hall windows: hours inside a window fit the window's free hours."""
        starts = sorted({item[1].date_start for item in loads})
        ends = sorted({item[1].date_end for item in loads})
        windows: dict[frozenset, tuple[int, list]] = {}
        for start in starts:
            for end in ends:
                if end < start:
                    continue
                inside = [
                    item
                    for item in loads
                    if item[1].date_start >= start and item[1].date_end <= end
                ]
                if len(inside) < 2:
                    continue
                cap = self.instance.period_cents(consultant_key, start, end) // CENTS
                if sum(item[2] for item in inside) <= cap:
                    continue
                ids = frozenset(id(item[0]) for item in inside)
                if ids not in windows or cap < windows[ids][0]:
                    windows[ids] = (cap, inside)
        self.windows[consultant_key] = []
        for cap, inside in windows.values():
            total = sum(item[0] for item in inside)
            self.model.Add(total <= cap)
            self.windows[consultant_key].append((cap, inside, total))

    def _add_internal_first(self):
        """An external consultant only where no equally good internal one has room."""
        instance = self.instance
        for position_key in instance.order:
            if not instance.positions[position_key].needed_hours:
                continue
            ranked = instance.candidates[position_key]
            for external in ranked:
                if not instance.consultants[external.consultant_key].is_external:
                    continue
                for internal in ranked:
                    consultant = instance.consultants[internal.consultant_key]
                    if consultant.is_external or internal.score < external.score:
                        continue
                    self.model.AddBoolOr(
                        self._saturation(internal.consultant_key, position_key)
                    ).OnlyEnforceIf(self.used[position_key, external.consultant_key])

    def _saturation(self, consultant_key, position_key):
        """Literals each proving the consultant has no hour left for the position.

        Either the pair is at its upper bound (all the position needs or all the
        consultant has in its period), or a window holding it is full.
        """
        key = (position_key, consultant_key)
        if key not in self._full:
            literal = self.model.NewBoolVar(f"full_{position_key}_{consultant_key}")
            self.model.Add(self.x[key] >= self.upper[key]).OnlyEnforceIf(literal)
            self._full[key] = literal
        literals = [self._full[key]]
        var = self.x[key]
        for index, (cap, inside, total) in enumerate(
            self.windows.get(consultant_key, ())
        ):
            if not any(item[0] is var for item in inside):
                continue
            window_key = (consultant_key, index)
            if window_key not in self._full:
                literal = self.model.NewBoolVar(f"tight_{consultant_key}_{index}")
                self.model.Add(total >= cap).OnlyEnforceIf(literal)
                self._full[window_key] = literal
            literals.append(self._full[window_key])
        return literals

    # -- stage expressions

    def escalated_hours(self):
        return sum(
            var
            for (position_key, _c), var in self.x.items()
            if self.instance.positions[position_key].escalated
        )

    def filled_hours(self):
        return sum(self.x.values())

    def score_hours(self):
        return sum(self.score[key] * var for key, var in self.x.items())

    def external_hours(self):
        return sum(
            var
            for (_p, consultant_key), var in self.x.items()
            if self.instance.consultants[consultant_key].is_external
        )

    def moved_hours(self):
        return sum(
            var
            for booking_key, variables in self.y.items()
            for consultant_key, var in variables.items()
            if consultant_key != self.bookings[booking_key].consultant_key
        )


def optimize(
    positions: Sequence[Position],
    consultants: Sequence[Consultant],
    candidates: Iterable[Candidate],
    time_limit: float = 10.0,
    top_k: int | None = DEFAULT_TOP_K,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
    movable: Sequence[Booking] = (),
    score_gap: float = DEFAULT_SCORE_GAP,
) -> Plan:
    """The best plan for the scope (see the module docstring for the model).

    :param time_limit: seconds of wall clock for all stages together (> 0).
    :param top_k: candidates kept per position, best of the ranking first
        (``None`` keeps them all).
    :param movable: tentative bookings the escalation reshuffle may move.
    :param score_gap: relative gap to the bound at which the score stage may
        stop (0 to prove it optimal); the hours stages are always solved to
        optimality unless the time limit strikes.
    :raise ValueError: on an empty scope, nothing to staff, a time limit or
        ``top_k`` not positive, or candidates of unknown positions.
    """
    if not time_limit or time_limit <= 0:
        raise ValueError(
            f"The time limit must be a positive number of seconds, got {time_limit}."
        )
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    started = time.perf_counter()
    instance = _Instance(positions, consultants, candidates, top_k)
    _check_bookings(instance, movable)
    built = _Model(instance, movable)
    stages = [("escalated hours", built.escalated_hours(), True)]
    if movable:
        stages.append(("hours moved", built.moved_hours(), False))
    stages += [
        ("filled hours", built.filled_hours(), True),
        ("score x hours", built.score_hours(), True, score_gap),
        ("external hours", built.external_hours(), False),
    ]
    proto = built.model.Proto()
    size = (len(proto.variables), len(proto.constraints))
    values, results, by_wall = _solve_stages(
        built, stages, time_limit, seed, workers, started
    )
    assignments, moves = _layout(built, values)
    stats = SolveStats(
        variables=size[0],
        constraints=size[1],
        candidates=len(built.x),
        wall_time=time.perf_counter() - started,
        stages=tuple(results),
        stopped_by_wall_clock=by_wall,
    )
    return Plan("optimizer", tuple(assignments), tuple(moves), stats)


def _check_bookings(instance: _Instance, bookings: Sequence[Booking]):
    seen = set()
    for booking in bookings:
        if booking.key in seen:
            raise ValueError(f"Booking {booking.key} is given twice.")
        seen.add(booking.key)
        if booking.position_key not in instance.positions:
            raise ValueError(
                f"Booking {booking.key}: its position must be part of the scope."
            )
        if booking.consultant_key not in instance.consultants:
            raise ValueError(f"Booking {booking.key}: unknown consultant.")
        if booking.hours < 0:
            raise ValueError(f"Booking {booking.key} has negative hours.")


def _solve_stages(built: _Model, stages, time_limit, seed, workers, started):
    """Solve the stages in turn, fixing each one's best value for the next."""
    model = built.model
    variables = [*built.x.values(), *built.used.values()] + [
        var for group in built.y.values() for var in group.values()
    ]
    values = {var.Index(): 0 for var in variables}
    if any(built.y.values()):
        values = None  # all-zero is not a solution when bookings must be placed
    results = []
    by_wall = False
    for name, expression, maximize, *gap in stages:
        if isinstance(expression, int):
            results.append(StageResult(name, "optimal", expression, expression))
            continue
        remaining = time_limit - (time.perf_counter() - started)
        remaining -= min(LAYOUT_RESERVE, time_limit * LAYOUT_RESERVE_SHARE)
        if remaining <= 0:
            by_wall = True
            break
        stage_started = time.perf_counter()
        (model.Maximize if maximize else model.Minimize)(expression)
        model.ClearHints()
        if values is not None:
            for var in variables:
                model.AddHint(var, values[var.Index()])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = remaining
        # branching on the LP: the model is a transport problem with a few side
        # constraints, whose LP bound is (near) tight; the default search
        # climbs to it one hour at a time
        solver.parameters.search_branching = cp_model.LP_SEARCH
        solver.parameters.relative_gap_limit = gap[0] if gap else 0.0
        solver.parameters.max_deterministic_time = MAIN_DTIME
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if values is None:
                raise ValueError(
                    "No plan found within the time limit: the movable bookings "
                    "cannot all be placed again."
                )
            by_wall = by_wall or solver.WallTime() >= remaining * 0.99
            results.append(StageResult(name, STATUS_NAMES[status], 0, 0.0))
            break
        best = int(round(solver.ObjectiveValue()))
        bound = float(solver.BestObjectiveBound())
        values = {var.Index(): solver.Value(var) for var in variables}
        stage_gap = gap[0] if gap else 0.0
        if status == cp_model.FEASIBLE:
            # leave a quarter of what is left to the stages after this one
            left = remaining - (time.perf_counter() - stage_started)
            values, best, cut = _search_neighbourhoods(
                built,
                variables,
                values,
                (best, bound, maximize, stage_gap),
                time.perf_counter() + left * (0.75 if name != stages[-1][0] else 1.0),
                seed,
            )
            by_wall = by_wall or cut
            if abs(bound - best) <= stage_gap * abs(bound):
                status = cp_model.OPTIMAL
        status_name = STATUS_NAMES[status]
        if status == cp_model.OPTIMAL and abs(bound - best) >= 0.5:
            status_name = "within gap"
        results.append(
            StageResult(
                name, status_name, best, bound, time.perf_counter() - stage_started
            )
        )
        if status != cp_model.OPTIMAL and (
            time.perf_counter() - started
            >= (time_limit - min(LAYOUT_RESERVE, time_limit * LAYOUT_RESERVE_SHARE))
            * 0.99
        ):
            by_wall = True
        model.Add(expression >= best if maximize else expression <= best)
    return values, results, by_wall


def _search_neighbourhoods(built, variables, values, objective, deadline, seed):
    """Improve a stage's plan by re-solving a few positions at a time.

    Each round frees the hours of about a tenth of the positions, chosen from
    a random position and those sharing candidates with it, fixes every other
    variable to the current plan and solves that small model. Rounds are
    deterministic (seeded, deterministic time per round); the search stops at
    the bound, after ROUNDS_WITHOUT_GAIN rounds without gain, or at the
    deadline.

    :return: the plan's values, its objective and whether the deadline cut
        the search
    """
    best, bound, maximize, gap = objective
    instance = built.instance
    pairs: dict[int, list[int]] = {}  # position -> indexes of its variables
    sharing: dict[int, set[int]] = {}  # consultant -> positions
    for (position_key, consultant_key), var in built.x.items():
        pairs.setdefault(position_key, []).extend(
            [var.Index(), built.used[position_key, consultant_key].Index()]
        )
        sharing.setdefault(consultant_key, set()).add(position_key)
    keys = [key for key in instance.order if key in pairs]
    if len(keys) < 2:
        return values, best, False
    size = max(2, int(len(keys) * NEIGHBOURHOOD_SHARE))
    rng = random.Random(seed)
    idle = 0
    while idle < ROUNDS_WITHOUT_GAIN and abs(bound - best) > gap * abs(bound):
        left = deadline - time.perf_counter()
        if left <= 0:
            return values, best, True
        chosen = _neighbourhood(rng.choice(keys), size, instance, sharing)
        free = {index for key in chosen for index in pairs[key]}
        sub = built.model.Clone()
        sub.ClearHints()
        proto = sub.Proto()
        for var in variables:
            index = var.Index()
            if index in free:
                sub.AddHint(var, values[index])
            else:
                domain = proto.variables[index].domain
                domain[0] = domain[len(domain) - 1] = values[index]
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.search_branching = cp_model.LP_SEARCH
        solver.parameters.max_deterministic_time = ROUND_DTIME
        solver.parameters.max_time_in_seconds = left
        status = solver.Solve(sub)
        found = int(round(solver.ObjectiveValue()))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and (
            found > best if maximize else found < best
        ):
            best = found
            values = {var.Index(): solver.Value(var) for var in variables}
            idle = 0
        else:
            idle += 1
    return values, best, False


def _neighbourhood(start, size, instance, sharing):
    """Positions reached from ``start`` through shared candidates, breadth first."""
    chosen = [start]
    seen = {start}
    for key in chosen:
        if len(chosen) >= size:
            break
        for candidate in instance.candidates[key]:
            for other in sorted(sharing.get(candidate.consultant_key, ())):
                if other not in seen and len(chosen) < size:
                    seen.add(other)
                    chosen.append(other)
    return chosen


# ---------------------------------------------------------------- day layout


def _layout(built: _Model, values):
    """Assignments (and moves) with their hours laid out on days."""
    instance = built.instance
    per_consultant: dict[int, list[dict]] = {}
    for (position_key, consultant_key), var in built.x.items():
        hours = values[var.Index()]
        if hours:
            per_consultant.setdefault(consultant_key, []).append(
                {"position": position_key, "hours": hours, "booking": None}
            )
    for booking_key, variables in built.y.items():
        for consultant_key, var in variables.items():
            hours = values[var.Index()]
            if hours:
                per_consultant.setdefault(consultant_key, []).append(
                    {
                        "position": built.bookings[booking_key].position_key,
                        "hours": hours,
                        "booking": booking_key,
                    }
                )
    assignments = []
    moves = []
    for consultant_key in sorted(per_consultant):
        items = per_consultant[consultant_key]
        layouts = _flow_layout(instance, built.bookings, consultant_key, items)
        consultant = instance.consultants[consultant_key]
        for item, layout in zip(items, layouts, strict=True):
            booking_key = item["booking"]
            score = built.score.get((item["position"], consultant_key), 0)
            assignments.append(
                Assignment(
                    position_key=item["position"],
                    consultant_key=consultant_key,
                    hours=item["hours"],
                    score=score,
                    is_external=consultant.is_external,
                    days=layout,
                    booking_key=booking_key,
                )
            )
            if booking_key is None:
                continue
            booking = built.bookings[booking_key]
            if booking.consultant_key != consultant_key or not _same_days(
                booking.days, layout
            ):
                moves.append(
                    Move(
                        booking_key=booking_key,
                        position_key=booking.position_key,
                        from_consultant_key=booking.consultant_key,
                        to_consultant_key=consultant_key,
                        hours=item["hours"],
                        days=layout,
                    )
                )
    assignments.sort(key=lambda a: (a.position_key, a.consultant_key))
    moves.sort(key=lambda m: (m.booking_key, m.to_consultant_key))
    return assignments, moves


def _same_days(before: Mapping[date, float], after: Mapping[date, float]) -> bool:
    keys = set(before) | set(after)
    return all(
        math.isclose(before.get(day, 0.0), after.get(day, 0.0), abs_tol=0.005)
        for day in keys
    )


def _flow_layout(instance: _Instance, bookings, consultant_key, items):
    """Lay one consultant's hours on days: a min-cost flow, earliest days first.

    A movable booking staying with its consultant costs nothing on its own days.
    """
    free = instance.free[consultant_key]
    flow = min_cost_flow.SimpleMinCostFlow()
    day_nodes: dict[date, int] = {}
    sink = len(items)
    next_node = sink + 1
    total = 0
    for index, item in enumerate(items):
        position = instance.positions[item["position"]]
        booking = bookings.get(item["booking"]) if item["booking"] else None
        own_days = (
            booking.days if booking and booking.consultant_key == consultant_key else {}
        )
        amount = item["hours"] * CENTS
        total += amount
        flow.set_node_supply(index, amount)
        for offset, day in enumerate(_days(position)):
            if free.get(day, 0) <= 0:
                continue
            if day not in day_nodes:
                day_nodes[day] = next_node
                next_node += 1
                flow.add_arc_with_capacity_and_unit_cost(
                    day_nodes[day], sink, free[day], 0
                )
            cost = 0 if day in own_days else offset + 1
            flow.add_arc_with_capacity_and_unit_cost(
                index, day_nodes[day], amount, cost
            )
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError(
            f"Consultant {consultant_key}: the hours found do not fit the days."
        )
    day_of = {node: day for day, node in day_nodes.items()}
    layouts = [{} for _item in items]
    for arc in range(flow.num_arcs()):
        tail = flow.tail(arc)
        if tail < sink and flow.flow(arc) > 0:
            layouts[tail][day_of[flow.head(arc)]] = flow.flow(arc) / CENTS
    return [dict(sorted(layout.items())) for layout in layouts]


# ---------------------------------------------------------------- totals


def totals(
    plan: Plan, positions: Sequence[Position], consultants: Sequence[Consultant]
) -> Totals:
    """Filled hours, escalated hours, score, bench hours, external hours, money.

    Moved bookings of a reshuffle are not new work and do not count. Cost,
    revenue and margin are ``None`` unless every hour has its rate.
    """
    by_position = {position.key: position for position in positions}
    by_consultant = {consultant.key: consultant for consultant in consultants}
    new_work = [a for a in plan.assignments if a.booking_key is None]
    filled = sum(a.hours for a in new_work)
    cost = revenue = 0.0
    priced = True
    for assignment in new_work:
        consultant = by_consultant[assignment.consultant_key]
        position = by_position[assignment.position_key]
        if consultant.cost_rate is None or position.sold_rate is None:
            priced = False
            continue
        cost += assignment.hours * consultant.cost_rate
        revenue += assignment.hours * position.sold_rate
    hours = plan.hours_by_position()
    return Totals(
        method=plan.method,
        filled_hours=filled,
        escalated_hours=sum(
            a.hours for a in new_work if by_position[a.position_key].escalated
        ),
        total_score=sum(a.score * a.hours for a in new_work) / SCORE_SCALE,
        bench_hours_removed=sum(
            a.hours
            for a in new_work
            if by_consultant[a.consultant_key].on_bench and not a.is_external
        ),
        external_hours=sum(a.hours for a in new_work if a.is_external),
        cost=round(cost, 2) if priced else None,
        revenue=round(revenue, 2) if priced else None,
        margin=round(revenue - cost, 2) if priced else None,
        positions_unfilled=sum(
            1 for p in positions if hours.get(p.key, 0) < p.needed_hours
        ),
    )


def compare(
    positions: Sequence[Position],
    consultants: Sequence[Consultant],
    *plans: Plan,
) -> tuple[Totals, ...]:
    """The totals of several plans of the same data, in the order given."""
    return tuple(totals(plan, positions, consultants) for plan in plans)

"""Tests for the staffing optimizer, its first-fit baseline and the totals."""

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from resource_sharing_engine import optimizer, ranking

Position = optimizer.Position
Consultant = optimizer.Consultant
Candidate = optimizer.Candidate
Booking = optimizer.Booking

MON = date(2026, 3, 2)
PYTHON, ML = 1, 2


def _workdays(start, weeks=1, hours=8.0):
    """Free hours on the working days of ``weeks`` weeks from a Monday."""
    return {
        start + timedelta(days=7 * week + day): hours
        for week in range(weeks)
        for day in range(5)
    }


def _position(key, hours, start=MON, days=5, **changes):
    return Position(
        key=key,
        needed_hours=hours,
        date_start=start,
        date_end=start + timedelta(days=days - 1),
        **changes,
    )


def _hours(plan):
    """(position, consultant) -> hours of new work."""
    return {
        (a.position_key, a.consultant_key): a.hours
        for a in plan.assignments
        if a.booking_key is None
    }


def _solve(positions, consultants, candidates, **options):
    options.setdefault("time_limit", 10.0)
    return optimizer.optimize(positions, consultants, candidates, **options)


EVA, BOB, IAN, XENA = 1, 2, 3, 4

# One expert, two positions that need her in different ways: A can also be done
# by Bob, B only by Eva; Eva has one week free, A comes first.
EXPERT_POSITIONS = [_position(10, 40), _position(20, 40)]
EXPERT_CONSULTANTS = [
    Consultant(EVA, _workdays(MON), cost_rate=90.0, name="Eva"),
    Consultant(BOB, _workdays(MON), cost_rate=60.0, name="Bob"),
]
EXPERT_CANDIDATES = [
    Candidate(10, EVA, 950),
    Candidate(10, BOB, 700),
    Candidate(20, EVA, 900),
]


def test_greedy_gives_the_expert_away_and_optimizer_does_not():
    """First fit staffs only A with Eva; the optimizer puts Bob on A, Eva on B."""
    greedy = optimizer.greedy_first_fit(
        EXPERT_POSITIONS, EXPERT_CONSULTANTS, EXPERT_CANDIDATES
    )
    best = _solve(EXPERT_POSITIONS, EXPERT_CONSULTANTS, EXPERT_CANDIDATES)
    assert _hours(greedy) == {(10, EVA): 40}
    assert _hours(best) == {(10, BOB): 40, (20, EVA): 40}
    greedy_totals, best_totals = optimizer.compare(
        EXPERT_POSITIONS, EXPERT_CONSULTANTS, greedy, best
    )
    assert greedy_totals.filled_hours == 40
    assert best_totals.filled_hours == 80
    assert best_totals.total_score == 70 * 40 + 90 * 40
    assert best_totals.total_score > greedy_totals.total_score == 95 * 40
    assert best_totals.positions_unfilled == 0
    assert best.stats.optimal


def test_greedy_takes_the_expert_days_and_optimizer_shifts_them():
    """A two-week position and a one-week one share Eva: she does both in turn."""
    positions = [_position(10, 40, days=12), _position(20, 40)]
    consultants = [Consultant(EVA, _workdays(MON, weeks=2))]
    candidates = [Candidate(10, EVA, 950), Candidate(20, EVA, 900)]
    greedy = optimizer.greedy_first_fit(positions, consultants, candidates)
    best = _solve(positions, consultants, candidates)
    assert _hours(greedy) == {(10, EVA): 40}
    assert _hours(best) == {(10, EVA): 40, (20, EVA): 40}
    by_position = {a.position_key: a.days for a in best.assignments}
    assert set(by_position[20]) == set(_workdays(MON))
    assert set(by_position[10]) == set(_workdays(MON + timedelta(days=7)))


def test_same_data_gives_the_same_plan():
    """Two runs on the same instance return identical assignments."""
    positions, consultants, candidates = _random_instance(7)
    first = _solve(positions, consultants, candidates)
    second = _solve(positions, consultants, candidates)
    assert first.assignments == second.assignments
    assert first.stats.stages == second.stats.stages


def test_max_consultants_per_position():
    """Three consultants with 16 h each fill 32 of 40 h when two are allowed."""
    consultants = [
        Consultant(key, _workdays(MON, hours=3.2)) for key in (EVA, BOB, IAN)
    ]
    candidates = [Candidate(10, key, 800) for key in (EVA, BOB, IAN)]
    two = _solve([_position(10, 40)], consultants, candidates)
    three = _solve([_position(10, 40, max_consultants=3)], consultants, candidates)
    assert sum(_hours(two).values()) == 32
    assert len(two.assignments) == 2
    assert sum(_hours(three).values()) == 40
    assert len(three.assignments) == 3


def test_capacity_is_never_exceeded():
    """Per consultant and day, the hours laid out stay within the free hours."""
    positions, consultants, candidates = _random_instance(3)
    plan = _solve(positions, consultants, candidates)
    _assert_plan_fits(plan, positions, consultants)
    greedy = optimizer.greedy_first_fit(positions, consultants, candidates)
    _assert_plan_fits(greedy, positions, consultants)


def _assert_plan_fits(plan, positions, consultants):
    by_position = {p.key: p for p in positions}
    free = {c.key: c.free_hours for c in consultants}
    load = {}
    filled = {}
    for assignment in plan.assignments:
        position = by_position[assignment.position_key]
        assert sum(assignment.days.values()) == pytest.approx(assignment.hours)
        for day, hours in assignment.days.items():
            assert position.date_start <= day <= position.date_end
            key = (assignment.consultant_key, day)
            load[key] = load.get(key, 0.0) + hours
        assert assignment.hours >= 1
        if assignment.booking_key is None:
            filled[position.key] = filled.get(position.key, 0) + assignment.hours
    for (consultant_key, day), hours in load.items():
        assert hours <= free[consultant_key].get(day, 0.0) + 1e-6
    for position in positions:
        assert filled.get(position.key, 0) <= position.needed_hours
        consultants_on = {
            a.consultant_key
            for a in plan.assignments
            if a.position_key == position.key and a.booking_key is None
        }
        assert len(consultants_on) <= position.max_consultants


def test_escalated_hours_come_first():
    """Eva goes to the escalated position although the other one scores higher."""
    consultants = [Consultant(EVA, _workdays(MON))]
    candidates = [Candidate(10, EVA, 950), Candidate(20, EVA, 600)]
    calm = [_position(10, 40), _position(20, 40)]
    escalated = [_position(10, 40), _position(20, 40, escalated=True)]
    assert _hours(_solve(calm, consultants, candidates)) == {(10, EVA): 40}
    plan = _solve(escalated, consultants, candidates)
    assert _hours(plan) == {(20, EVA): 40}
    (plan_totals,) = optimizer.compare(escalated, consultants, plan)
    assert plan_totals.escalated_hours == 40


def test_hours_filled_before_score():
    """Two partial consultants filling all hours beat one better partial one."""
    consultants = [
        Consultant(EVA, _workdays(MON, hours=6.0)),
        Consultant(BOB, _workdays(MON, hours=2.0)),
    ]
    candidates = [Candidate(10, EVA, 950), Candidate(10, BOB, 300)]
    plan = _solve([_position(10, 40)], consultants, candidates)
    assert _hours(plan) == {(10, EVA): 30, (10, BOB): 10}


def test_external_not_used_where_an_internal_fits_equally():
    """With an internal of the same score free, the external stays out."""
    consultants = [
        Consultant(IAN, _workdays(MON, hours=4.0)),
        Consultant(XENA, _workdays(MON), is_external=True),
    ]
    candidates = [Candidate(10, IAN, 800), Candidate(10, XENA, 800)]
    plan = _solve([_position(10, 40)], consultants, candidates)
    assert _hours(plan) == {(10, IAN): 20, (10, XENA): 20}
    # with Ian's week taken by work only he can do, Xena takes all of 10
    plan = _solve(
        [_position(10, 40), _position(20, 20)],
        consultants,
        [*candidates, Candidate(20, IAN, 100)],
    )
    assert _hours(plan) == {(10, XENA): 40, (20, IAN): 20}


def test_external_blocked_while_internal_has_room():
    """The external cannot take hours an equally good internal could take."""
    consultants = [
        Consultant(IAN, _workdays(MON)),
        Consultant(XENA, _workdays(MON), is_external=True),
    ]
    candidates = [Candidate(10, IAN, 800), Candidate(10, XENA, 800)]
    plan = _solve([_position(10, 30)], consultants, candidates)
    assert _hours(plan) == {(10, IAN): 30}
    (plan_totals,) = optimizer.compare([_position(10, 30)], consultants, plan)
    assert plan_totals.external_hours == 0


def test_external_allowed_when_internal_is_busy_elsewhere():
    """An internal whose week is full on other work leaves room for the external."""
    consultants = [
        Consultant(IAN, _workdays(MON)),
        Consultant(XENA, _workdays(MON), is_external=True),
    ]
    positions = [_position(10, 40), _position(20, 40)]
    # only Ian can do 20; on 10 Ian and Xena are equally good
    candidates = [
        Candidate(10, IAN, 800),
        Candidate(10, XENA, 800),
        Candidate(20, IAN, 900),
    ]
    plan = _solve(positions, consultants, candidates)
    assert _hours(plan) == {(10, XENA): 40, (20, IAN): 40}


def test_external_with_a_strictly_better_score_may_be_chosen():
    """A better external is allowed and wins the score stage."""
    consultants = [
        Consultant(IAN, _workdays(MON)),
        Consultant(XENA, _workdays(MON), is_external=True),
    ]
    candidates = [Candidate(10, IAN, 700), Candidate(10, XENA, 900)]
    plan = _solve([_position(10, 40)], consultants, candidates)
    assert _hours(plan) == {(10, XENA): 40}


def test_mandatory_skills_are_checked_when_known():
    """A candidate lacking a mandatory skill is never assigned."""
    need = ranking.SkillNeed(skill_key=ML, min_progress=60, mandatory=True)
    position = _position(10, 40, skill_needs=(need,))
    consultants = [
        Consultant(EVA, _workdays(MON), skills={ML: 40}),
        Consultant(BOB, _workdays(MON, hours=4.0), skills={ML: 80}),
    ]
    candidates = [Candidate(10, EVA, 990), Candidate(10, BOB, 500)]
    assert _hours(_solve([position], consultants, candidates)) == {(10, BOB): 20}
    greedy = optimizer.greedy_first_fit([position], consultants, candidates)
    assert _hours(greedy) == {(10, BOB): 20}


def test_candidates_from_facts_use_the_ranking():
    """Scores come from ranking.score_candidate, scaled, eligible only."""
    need = ranking.SkillNeed(skill_key=PYTHON, min_progress=50, mandatory=True)
    position = _position(10, 40, skill_needs=(need,))
    facts = ranking.CandidateFacts(
        employee_key=EVA,
        name="Eva",
        skills={PYTHON: 100},
        is_external=False,
        available_hours=40.0,
        needed_hours=40.0,
        utilization=0.0,
        worked_for_customer=True,
        cost_rate=0.0,
        sold_rate=100.0,
    )
    unskilled = replace(facts, employee_key=BOB, skills={})
    result = optimizer.candidates_from_facts(position, [facts, unskilled])
    assert result == [Candidate(10, EVA, 1000)]


def test_top_k_prunes_candidates():
    """Only the best top_k candidates of a position enter the model."""
    consultants = [Consultant(key, _workdays(MON)) for key in range(1, 6)]
    candidates = [Candidate(10, key, 500 + key) for key in range(1, 6)]
    plan = _solve([_position(10, 80)], consultants, candidates, top_k=2)
    assert plan.stats.candidates == 2
    assert _hours(plan) == {(10, 5): 40, (10, 4): 40}


def test_time_limit_must_be_positive():
    """A time limit of zero or less is refused with a clear message."""
    for limit in (0, -1.0):
        with pytest.raises(ValueError, match="time limit must be a positive"):
            optimizer.optimize(
                EXPERT_POSITIONS,
                EXPERT_CONSULTANTS,
                EXPERT_CANDIDATES,
                time_limit=limit,
            )


def test_empty_scope_is_refused():
    """No positions at all is refused, for the optimizer and the baseline."""
    with pytest.raises(ValueError, match="scope is empty"):
        optimizer.optimize([], EXPERT_CONSULTANTS, [])
    with pytest.raises(ValueError, match="scope is empty"):
        optimizer.greedy_first_fit([], EXPERT_CONSULTANTS, [])


def test_nothing_to_staff_is_refused():
    """A scope whose positions need no hours is refused."""
    with pytest.raises(ValueError, match="Nothing to staff"):
        optimizer.optimize([_position(10, 0)], EXPERT_CONSULTANTS, [])


def test_bad_input_is_refused():
    """Unknown keys, duplicates and a bad top_k raise ValueError."""
    with pytest.raises(ValueError, match="unknown position or consultant"):
        _solve([_position(10, 8)], EXPERT_CONSULTANTS, [Candidate(10, 99, 1)])
    with pytest.raises(ValueError, match="given twice"):
        _solve([_position(10, 8), _position(10, 8)], EXPERT_CONSULTANTS, [])
    with pytest.raises(ValueError, match="top_k"):
        _solve([_position(10, 8)], EXPERT_CONSULTANTS, [], top_k=0)


def test_no_candidate_gives_an_empty_plan():
    """A position nobody qualifies for stays unfilled, without error."""
    plan = _solve([_position(10, 8)], EXPERT_CONSULTANTS, [])
    assert plan.assignments == ()
    (plan_totals,) = optimizer.compare([_position(10, 8)], EXPERT_CONSULTANTS, plan)
    assert plan_totals.positions_unfilled == 1


def test_totals_money_and_bench():
    """Cost, revenue and margin with rates; bench hours for internal bench only."""
    positions = [_position(10, 40, sold_rate=150.0), _position(20, 40)]
    consultants = [
        replace(EXPERT_CONSULTANTS[0], on_bench=True),
        EXPERT_CONSULTANTS[1],
    ]
    plan = _solve(positions, consultants, EXPERT_CANDIDATES)
    (unpriced,) = optimizer.compare(positions, consultants, plan)
    assert unpriced.cost is None and unpriced.margin is None
    assert unpriced.bench_hours_removed == 40
    positions[1] = replace(positions[1], sold_rate=200.0)
    (priced,) = optimizer.compare(positions, consultants, plan)
    assert priced.cost == 40 * 60.0 + 40 * 90.0
    assert priced.revenue == 40 * 150.0 + 40 * 200.0
    assert priced.margin == priced.revenue - priced.cost


def test_reshuffle_moves_tentative_work_to_later_days():
    """The escalation takes Eva's week 1; her tentative booking moves to week 2."""
    week2 = MON + timedelta(days=7)
    positions = [
        _position(10, 40, escalated=True),
        _position(20, 0, days=12),  # fully booked, its booking is movable
    ]
    consultants = [Consultant(EVA, _workdays(MON, weeks=2))]
    candidates = [Candidate(10, EVA, 900), Candidate(20, EVA, 900)]
    booking = Booking(1, 20, EVA, 40, days=_workdays(MON))
    plan = _solve(positions, consultants, candidates, movable=[booking])
    assert _hours(plan) == {(10, EVA): 40}
    (move,) = plan.moves
    assert not move.reassigned
    assert set(move.days) == set(_workdays(week2))
    _assert_plan_fits(plan, positions, consultants)


def test_reshuffle_moves_tentative_work_to_another_consultant():
    """When the booking cannot move in time, it goes to another qualified one."""
    positions = [_position(10, 40, escalated=True), _position(20, 0)]
    consultants = [Consultant(EVA, _workdays(MON)), Consultant(BOB, _workdays(MON))]
    candidates = [
        Candidate(10, EVA, 900),
        Candidate(20, EVA, 900),
        Candidate(20, BOB, 600),
    ]
    booking = Booking(1, 20, EVA, 40, days=_workdays(MON))
    plan = _solve(positions, consultants, candidates, movable=[booking])
    assert _hours(plan) == {(10, EVA): 40}
    (move,) = plan.moves
    assert move.reassigned and move.to_consultant_key == BOB and move.hours == 40


def test_reshuffle_moves_nothing_without_need():
    """Bookings stay where they are when the escalation fits in free time."""
    positions = [_position(10, 16, escalated=True), _position(20, 0)]
    consultants = [Consultant(EVA, _workdays(MON)), Consultant(BOB, _workdays(MON))]
    candidates = [
        Candidate(10, EVA, 900),
        Candidate(20, EVA, 900),
        Candidate(20, BOB, 600),
    ]
    booking = Booking(
        1,
        20,
        EVA,
        24,
        days={MON: 8.0, MON + timedelta(1): 8.0, MON + timedelta(2): 8.0},
    )
    plan = _solve(positions, consultants, candidates, movable=[booking])
    assert _hours(plan) == {(10, EVA): 16}
    assert plan.moves == ()


def _random_instance(seed, consultants=30, positions=8):
    """A small instance with skills, partial free time and escalations."""
    rng = random.Random(seed)
    people = []
    for key in range(1, consultants + 1):
        free = {
            day: hours
            for day, hours in _workdays(MON, weeks=4).items()
            if rng.random() < 0.7
            for hours in [rng.choice([2.0, 4.0, 8.0])]
        }
        people.append(
            Consultant(key, free, is_external=rng.random() < 0.2, cost_rate=50.0)
        )
    open_positions = []
    candidates = []
    for key in range(1, positions + 1):
        start = MON + timedelta(days=7 * rng.randrange(3))
        open_positions.append(
            _position(
                100 + key,
                rng.choice([16, 40, 80]),
                start=start,
                days=rng.choice([5, 12]),
                escalated=rng.random() < 0.25,
            )
        )
        for person in rng.sample(people, 6):
            candidates.append(
                Candidate(100 + key, person.key, rng.randrange(300, 1000))
            )
    return open_positions, people, candidates


def test_random_instances_never_worse_than_greedy():
    """On small random instances the optimizer beats or equals first fit."""
    for seed in range(5):
        positions, consultants, candidates = _random_instance(seed)
        greedy = optimizer.greedy_first_fit(positions, consultants, candidates)
        best = _solve(positions, consultants, candidates, top_k=None)
        _assert_plan_fits(best, positions, consultants)
        greedy_totals, best_totals = optimizer.compare(
            positions, consultants, greedy, best
        )
        assert best_totals.escalated_hours >= greedy_totals.escalated_hours
        if best_totals.escalated_hours == greedy_totals.escalated_hours:
            assert best_totals.filled_hours >= greedy_totals.filled_hours


def test_reshuffle_keeps_a_booking_whole_unless_split():
    """A booking goes to one consultant; with split it may be shared."""
    positions = [_position(10, 40, escalated=True), _position(20, 0)]
    consultants = [
        Consultant(EVA, _workdays(MON)),
        Consultant(BOB, _workdays(MON, hours=4.0)),
        Consultant(IAN, _workdays(MON, hours=4.0)),
    ]
    candidates = [
        Candidate(10, EVA, 900),
        Candidate(20, EVA, 900),
        Candidate(20, BOB, 600),
        Candidate(20, IAN, 600),
    ]
    booking = Booking(1, 20, EVA, 40, days=_workdays(MON))
    whole = _solve(positions, consultants, candidates, movable=[booking])
    assert _hours(whole) == {}
    assert whole.moves == ()
    split = _solve(
        positions, consultants, candidates, movable=[replace(booking, split=True)]
    )
    assert _hours(split) == {(10, EVA): 40}
    assert {(m.to_consultant_key, m.hours) for m in split.moves} == {
        (BOB, 20),
        (IAN, 20),
    }

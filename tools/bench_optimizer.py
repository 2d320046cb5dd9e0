#!/usr/bin/env python3
"""Scale benchmark of the staffing optimizer against first-fit, no Odoo needed.

A measurement, not a test: for each scale it generates consultants (skills,
partial bookings, leave, internal and external) and open positions (mandatory
and preferred skills, periods, hours, escalations), scores every qualified
consultant with the ranking of ``resource_sharing/engine/ranking.py``, then
runs ``greedy_first_fit`` (every candidate, positions in the given order) and
``optimize`` (the ranking's top K per position) on the same data and prints
solve time, model size, optimality gap and the totals side by side.

The exit status is 0 whatever the figures; the last line counts the targets
met. See ``benchmarks/README.md``.
"""

import argparse
import importlib.util
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_DIR = ROOT / "addons" / "resource_sharing" / "engine"

SEED = 42
HORIZON_START = date(2027, 1, 4)  # a Monday
HORIZON_WEEKS = 13
DAY_HOURS = 8.0
SKILLS = 40
LEVELS = (25, 50, 75, 100)
DEFAULT_POSITIONS = {300: 60, 3000: 300}
TIME_TARGET = {3000: 60.0}  # seconds, consultants -> target
EXTERNAL_SHARE = 0.12
ESCALATED_SHARE = 0.15


def load_engine():
    """Import the addon's engine package without importing odoo."""
    spec = importlib.util.spec_from_file_location(
        "resource_sharing_engine",
        ENGINE_DIR / "__init__.py",
        submodule_search_locations=[str(ENGINE_DIR)],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["resource_sharing_engine"] = module
    spec.loader.exec_module(module)
    from resource_sharing_engine import optimizer, ranking

    return optimizer, ranking


OPTIMIZER, RANKING = load_engine()


# ----------------------------------------------------------------- data


def _skill(rng):
    """A skill key, the low keys much more common (skewed like real demand)."""
    return min(int(rng.paretovariate(1.1)), SKILLS)


def _workdays():
    return [
        HORIZON_START + timedelta(days=offset)
        for offset in range(HORIZON_WEEKS * 7)
        if (HORIZON_START + timedelta(days=offset)).weekday() < 5
    ]


def generate(consultant_count, position_count, seed=SEED):
    """Consultants (with per-day free hours) and positions with their candidates."""
    master = random.Random(seed)
    seeds = [master.randrange(2**32) for _ in range(consultant_count)]
    workdays = _workdays()
    consultants = []
    facts_base = {}
    for key, own_seed in enumerate(seeds, start=1):
        rng = random.Random(own_seed)
        external = rng.random() < EXTERNAL_SHARE
        skills = {_skill(rng): rng.choice(LEVELS) for _ in range(rng.randint(3, 7))}
        booked = dict.fromkeys(workdays, 0.0)
        for _block in range(rng.randint(0, 3)):
            first = rng.randrange(len(workdays))
            hours = rng.choice((4.0, 8.0))
            for day in workdays[first : first + rng.randint(5, 30)]:
                booked[day] = min(DAY_HOURS, booked[day] + hours)
        capacity = {day: 0.0 if rng.random() < 0.04 else DAY_HOURS for day in workdays}
        free = {
            day: capacity[day] - booked[day]
            for day in workdays
            if capacity[day] - booked[day] > 0
        }
        busy = sum(min(booked[d], capacity[d]) for d in workdays)
        utilization = busy / max(1.0, sum(capacity.values()))
        cost = rng.uniform(80, 140) if external else rng.uniform(45, 95)
        consultants.append(
            OPTIMIZER.Consultant(
                key=key,
                free_hours=free,
                is_external=external,
                skills=skills,
                cost_rate=round(cost, 2),
                on_bench=not external and utilization < RANKING.BENCH_ZERO_UTILIZATION,
                name=f"Consultant {key:05d}",
            )
        )
        facts_base[key] = (capacity, booked)
    positions = []
    rng = random.Random(seed + 1)
    for index in range(position_count):
        mandatory = {_skill(rng) for _ in range(rng.randint(1, 2))}
        needs = [
            RANKING.SkillNeed(skill, rng.choice((25, 50, 75)), True)
            for skill in sorted(mandatory)
        ] + [
            RANKING.SkillNeed(skill, rng.choice((50, 75)), False)
            for skill in sorted({_skill(rng) for _ in range(2)} - mandatory)
        ]
        start = HORIZON_START + timedelta(days=7 * rng.randrange(HORIZON_WEEKS - 6))
        weeks = rng.randint(2, 6)
        positions.append(
            OPTIMIZER.Position(
                key=1000 + index,
                needed_hours=8 * rng.randint(5, 5 * weeks * 2),
                date_start=start,
                date_end=start + timedelta(days=7 * weeks - 3),
                escalated=rng.random() < ESCALATED_SHARE,
                skill_needs=tuple(needs),
                sold_rate=round(rng.uniform(100, 180), 2),
                name=f"Position {index:04d}",
            )
        )
    candidates = _candidates(positions, consultants, facts_base, rng)
    return positions, consultants, candidates


def _candidates(positions, consultants, facts_base, rng):
    """Every qualified consultant of every position, scored by the ranking."""
    by_skill = {}
    for consultant in consultants:
        for skill, level in consultant.skills.items():
            by_skill.setdefault(skill, []).append((consultant, level))
    result = []
    for position in positions:
        mandatory = [need for need in position.skill_needs if need.mandatory]
        first, *others = mandatory
        days = [
            position.date_start + timedelta(days=offset)
            for offset in range((position.date_end - position.date_start).days + 1)
        ]
        facts = []
        for consultant, level in by_skill.get(first.skill_key, ()):
            if level < first.min_progress or any(
                consultant.skills.get(need.skill_key, -1) < need.min_progress
                for need in others
            ):
                continue
            capacity, booked = facts_base[consultant.key]
            free = sum(consultant.free_hours.get(d, 0.0) for d in days)
            cap = sum(capacity.get(day, 0.0) for day in days)
            busy = sum(min(booked.get(d, 0.0), capacity.get(d, 0.0)) for d in days)
            facts.append(
                RANKING.CandidateFacts(
                    employee_key=consultant.key,
                    name=consultant.name,
                    skills=consultant.skills,
                    is_external=consultant.is_external,
                    available_hours=free,
                    needed_hours=position.needed_hours,
                    utilization=busy / cap if cap else 0.0,
                    worked_for_customer=rng.random() < 0.1,
                    cost_rate=consultant.cost_rate,
                    sold_rate=position.sold_rate,
                )
            )
        result.extend(OPTIMIZER.candidates_from_facts(position, facts))
    return result


# ----------------------------------------------------------------- run


def run_scale(consultant_count, position_count, args):
    """Generate, solve both ways, return the figures of one scale."""
    started = time.perf_counter()
    positions, consultants, candidates = generate(consultant_count, position_count)
    generation = time.perf_counter() - started
    started = time.perf_counter()
    greedy = OPTIMIZER.greedy_first_fit(positions, consultants, candidates)
    greedy_time = time.perf_counter() - started
    started = time.perf_counter()
    best = OPTIMIZER.optimize(
        positions,
        consultants,
        candidates,
        time_limit=args.time_limit,
        top_k=args.top_k,
        workers=args.workers,
    )
    solve_time = time.perf_counter() - started
    same = None
    if consultant_count <= 300:
        again = OPTIMIZER.optimize(
            positions,
            consultants,
            candidates,
            time_limit=args.time_limit,
            top_k=args.top_k,
            workers=args.workers,
        )
        same = again.assignments == best.assignments
    greedy_totals, best_totals = OPTIMIZER.compare(positions, consultants, greedy, best)
    return {
        "consultants": consultant_count,
        "positions": position_count,
        "externals": sum(c.is_external for c in consultants),
        "escalated": sum(p.escalated for p in positions),
        "needed": sum(p.needed_hours for p in positions),
        "needed_escalated": sum(p.needed_hours for p in positions if p.escalated),
        "candidates": len(candidates),
        "generation": generation,
        "greedy_time": greedy_time,
        "solve_time": solve_time,
        "stats": best.stats,
        "greedy": greedy_totals,
        "best": best_totals,
        "same": same,
    }


def _num(value, digits=0):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def report(results, args):
    """Print the figures, one column per scale, then the targets."""
    print("resource_sharing staffing optimizer benchmark")
    print(f"  machine: {os.cpu_count()} CPUs, {platform.machine()}, ", end="")
    print(f"Python {platform.python_version()}, ortools {_ortools_version()}")
    print(f"  time limit {args.time_limit:g} s, top {args.top_k} candidates, ", end="")
    print(f"{args.workers} search worker(s), seed 42")
    print()
    header = [f"{r['consultants']:,} / {r['positions']:,}" for r in results]
    rows = [
        ("data", None),
        ("  external consultants", [_num(r["externals"]) for r in results]),
        ("  escalated positions", [_num(r["escalated"]) for r in results]),
        (
            "  hours needed (escalated)",
            [f"{r['needed']:,} ({r['needed_escalated']:,})" for r in results],
        ),
        ("  qualified candidates", [_num(r["candidates"]) for r in results]),
        ("  generation", [f"{r['generation']:.2f} s" for r in results]),
        ("model", None),
        ("  candidates kept", [_num(r["stats"].candidates) for r in results]),
        ("  variables", [_num(r["stats"].variables) for r in results]),
        ("  constraints", [_num(r["stats"].constraints) for r in results]),
        ("solve", None),
        ("  optimizer wall time", [f"{r['solve_time']:.2f} s" for r in results]),
    ]
    stage_names = [stage.name for stage in results[0]["stats"].stages]
    for name in stage_names:
        rows.append((f"    {name}", [_stage(r["stats"], name) for r in results]))
    rows += [
        ("  optimality gap", [f"{r['stats'].gap:.2%}" for r in results]),
        (
            "  stopped by the wall clock",
            ["yes" if r["stats"].stopped_by_wall_clock else "no" for r in results],
        ),
        (
            "  same plan on a second run",
            [
                "-" if r["same"] is None else ("yes" if r["same"] else "NO")
                for r in results
            ],
        ),
        ("  greedy first-fit time", [f"{r['greedy_time']:.2f} s" for r in results]),
        ("totals: greedy -> optimizer", None),
    ]
    for label, attr, digits in (
        ("filled hours", "filled_hours", 0),
        ("escalated hours filled", "escalated_hours", 0),
        ("total score (points x hours)", "total_score", 0),
        ("bench hours removed", "bench_hours_removed", 0),
        ("external hours", "external_hours", 0),
        ("cost", "cost", 0),
        ("margin", "margin", 0),
        ("positions not filled", "positions_unfilled", 0),
    ):
        rows.append(
            (
                f"  {label}",
                [
                    f"{_num(getattr(r['greedy'], attr), digits)} -> "
                    f"{_num(getattr(r['best'], attr), digits)}"
                    for r in results
                ],
            )
        )
    width = max(len(label) for label, _values in rows) + 2
    column = max(28, *(len(h) for h in header))
    print(" " * width + "".join(f"{h:>{column}}" for h in header))
    print("-" * (width + column * len(header)))
    for label, values in rows:
        if values is None:
            print(label)
            continue
        print(f"{label:<{width}}" + "".join(f"{v:>{column}}" for v in values))
    print()
    passed = failed = 0
    for r in results:
        for label, ok in _targets(r):
            passed += ok
            failed += not ok
            print(
                f"{r['consultants']:,} / {r['positions']:,}: {label} "
                f"{'PASS' if ok else 'FAIL'}"
            )
    print(f"targets: {passed} passed, {failed} failed")


def _stage(stats, name):
    for stage in stats.stages:
        if stage.name == name:
            return f"{stage.objective:,} ({stage.status}, {stage.seconds:.1f} s)"
    return "-"


def _targets(r):
    greedy, best = r["greedy"], r["best"]
    targets = []
    limit = TIME_TARGET.get(r["consultants"])
    if limit:
        targets.append(
            (
                f"solve within {limit:g} s ({r['solve_time']:.1f} s)",
                r["solve_time"] <= limit,
            )
        )
    targets += [
        ("filled hours >= greedy", best.filled_hours >= greedy.filled_hours),
        ("total score >= greedy", best.total_score >= greedy.total_score),
        ("total score > greedy", best.total_score > greedy.total_score),
    ]
    return targets


def _ortools_version():
    import ortools

    return ortools.__version__


def parse_scales(text):
    """``300,3000`` or ``300:60,3000:300`` -> [(consultants, positions)]."""
    scales = []
    for item in text.split(","):
        consultants, _sep, positions = item.strip().partition(":")
        count = int(consultants)
        scales.append(
            (
                count,
                int(positions)
                if positions
                else DEFAULT_POSITIONS.get(count, count // 10),
            )
        )
    return scales


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales",
        default="300",
        help="consultants[:positions], comma-separated (default 300, i.e. 300:60; "
        "3000 means 3000:300)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=60.0, help="optimizer seconds (60)"
    )
    parser.add_argument(
        "--top-k", type=int, default=OPTIMIZER.DEFAULT_TOP_K, help="candidates kept"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="CP-SAT search workers (1, the default, is deterministic)",
    )
    args = parser.parse_args(argv)
    results = []
    for consultants, positions in parse_scales(args.scales):
        print(f"  running {consultants} / {positions} ...", file=sys.stderr)
        results.append(run_scale(consultants, positions, args))
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

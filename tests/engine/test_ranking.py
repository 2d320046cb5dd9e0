"""Tests for candidate scoring and ranking."""

from dataclasses import replace

import pytest
from resource_sharing_engine import ranking

PYTHON, ODOO, SQL, DOCKER = 1, 2, 3, 4

NEEDS = (
    ranking.SkillNeed(skill_key=PYTHON, min_progress=60, mandatory=True),
    ranking.SkillNeed(skill_key=ODOO, min_progress=50, mandatory=True),
    ranking.SkillNeed(skill_key=SQL, min_progress=80, mandatory=False),
    ranking.SkillNeed(skill_key=DOCKER, min_progress=50, mandatory=False),
)

PERFECT = ranking.CandidateFacts(
    employee_key=1,
    name="Alice",
    skills={PYTHON: 100, ODOO: 75, SQL: 80, DOCKER: 50},
    is_external=False,
    available_hours=80.0,
    needed_hours=80.0,
    utilization=0.0,
    worked_for_customer=True,
    cost_rate=0.0,
    sold_rate=100.0,
)


def _facts(**changes) -> ranking.CandidateFacts:
    return replace(PERFECT, **changes)


def _points(score: ranking.Score) -> dict[str, float]:
    return {part.key: part.points for part in score.parts}


def test_weights_total_one_hundred():
    """The module weights add up to 100 points."""
    total = (
        ranking.WEIGHT_SKILLS
        + ranking.WEIGHT_AVAILABILITY
        + ranking.WEIGHT_INTERNAL
        + ranking.WEIGHT_BENCH
        + ranking.WEIGHT_CUSTOMER
        + ranking.WEIGHT_MARGIN
    )
    assert total == 100.0


def test_perfect_candidate_scores_one_hundred():
    """Meeting every criterion gives the full 100 with stable part keys."""
    score = ranking.score_candidate(PERFECT, NEEDS)
    assert score.total == 100.0
    assert score.eligible
    assert [p.key for p in score.parts] == [
        "skills",
        "availability",
        "internal",
        "bench",
        "customer",
        "margin",
    ]
    assert [p.max_points for p in score.parts] == [30, 40, 10, 10, 5, 5]


def test_missing_mandatory_skill_makes_ineligible():
    """Lacking a mandatory skill gives total 0 and lists the skill."""
    score = ranking.score_candidate(_facts(skills={PYTHON: 100, SQL: 80}), NEEDS)
    assert not score.eligible
    assert score.total == 0.0
    assert score.missing_mandatory == (ODOO,)
    assert len(score.parts) == 6


def test_mandatory_skill_below_minimum_is_missing():
    """Having the skill below its minimum level does not count."""
    skills = {PYTHON: 59, ODOO: 40, SQL: 80, DOCKER: 50}
    score = ranking.score_candidate(_facts(skills=skills), NEEDS)
    assert score.missing_mandatory == (PYTHON, ODOO)


def test_partial_preferred_skill_counts_proportionally():
    """SQL at 40 of 80 and no Docker: share 0.25, so 15 + 3.75 skill points."""
    skills = {PYTHON: 100, ODOO: 75, SQL: 40}
    score = ranking.score_candidate(_facts(skills=skills), NEEDS)
    skill_part = score.parts[0]
    assert skill_part.points == 18.75
    assert skill_part.values["preferred_share"] == 0.25
    assert score.total == 88.8  # 100 - 11.25, rounded to one decimal


def test_no_preferred_needs_gives_full_skill_points():
    """Without preferred needs the preferred half is granted in full."""
    needs = [n for n in NEEDS if n.mandatory]
    score = ranking.score_candidate(_facts(skills={PYTHON: 60, ODOO: 50}), needs)
    assert _points(score)["skills"] == 30.0


def test_availability_part_is_proportional():
    """64 of 80 needed hours available gives 32 of 40 points and explains it."""
    score = ranking.score_candidate(_facts(available_hours=64.0), NEEDS)
    part = score.parts[1]
    assert part.points == 32.0
    assert part.values["available"] == 64.0
    assert part.values["needed"] == 80.0


def test_availability_full_when_nothing_needed():
    """needed_hours 0 gives the full availability points."""
    score = ranking.score_candidate(_facts(available_hours=0, needed_hours=0), NEEDS)
    assert _points(score)["availability"] == 40.0


@pytest.mark.parametrize(
    ("util", "points"), [(0.0, 10.0), (0.25, 5.0), (0.5, 0.0), (0.9, 0.0)]
)
def test_bench_points_fall_linearly_to_fifty_percent(util, points):
    """Bench bonus is full at 0 % utilization and zero from 50 % on."""
    score = ranking.score_candidate(_facts(utilization=util), NEEDS)
    assert _points(score)["bench"] == points


def test_margin_part_values():
    """Cost 60 on sold 100 is a 40 % margin, worth 2 points."""
    score = ranking.score_candidate(_facts(cost_rate=60.0, sold_rate=100.0), NEEDS)
    part = score.parts[-1]
    assert part.points == 2.0
    assert part.values == {
        "cost_rate": 60.0,
        "sold_rate": 100.0,
        "margin_ratio": 0.4,
        "is_lent": False,
    }


def test_margin_zero_when_negative_or_unsold():
    """A loss-making rate or no sold rate gives no margin points."""
    loss = ranking.score_candidate(_facts(cost_rate=120.0, sold_rate=100.0), NEEDS)
    assert _points(loss)["margin"] == 0.0
    assert loss.parts[-1].values["margin_ratio"] == -0.2
    unsold = ranking.score_candidate(_facts(cost_rate=50.0, sold_rate=0.0), NEEDS)
    assert _points(unsold)["margin"] == 0.0


def test_parts_sum_to_total():
    """The breakdown explains the total up to the one-decimal rounding."""
    facts = _facts(
        skills={PYTHON: 70, ODOO: 60, SQL: 30},
        is_external=True,
        available_hours=50.0,
        utilization=0.3,
        worked_for_customer=False,
        cost_rate=70.0,
        sold_rate=90.0,
    )
    score = ranking.score_candidate(facts, NEEDS)
    assert score.total == pytest.approx(sum(_points(score).values()), abs=0.05)
    assert score.total == 47.9  # 17.8125 + 25 + 0 + 4 + 0 + 1.1111


def test_rank_excludes_ineligible_candidates():
    """Candidates missing a mandatory skill never appear in the ranking."""
    no_odoo = _facts(employee_key=2, name="Bob", skills={PYTHON: 100})
    result = ranking.rank_candidates([no_odoo, PERFECT], NEEDS)
    assert [s.employee_key for s in result] == [1]


def test_internal_beats_otherwise_equal_external():
    """The internal consultant scores 10 more than an identical external."""
    external = _facts(employee_key=2, name="Aaron", is_external=True)
    result = ranking.rank_candidates([external, PERFECT], NEEDS)
    assert [(s.name, s.total) for s in result] == [("Alice", 100.0), ("Aaron", 90.0)]


def test_internal_wins_tie_on_equal_total():
    """On an equal total the internal consultant comes first."""
    internal_busy = _facts(employee_key=1, name="Zoe", utilization=0.5)
    external_bench = _facts(employee_key=2, name="Aaron", is_external=True)
    result = ranking.rank_candidates([external_bench, internal_busy], NEEDS)
    assert [s.total for s in result] == [90.0, 90.0]
    assert [s.name for s in result] == ["Zoe", "Aaron"]


def test_home_then_sister_then_partner_on_equal_fit():
    """At equal fit: the home company first, then a sister company, then a partner."""
    home = _facts(employee_key=3, name="Zoe", available_hours=80.0)
    sister = _facts(employee_key=2, name="Bea", is_lent=True, available_hours=200.0)
    partner = _facts(employee_key=1, name="Aaron", is_external=True, utilization=0.0)
    partner = replace(partner, skills={**PERFECT.skills}, worked_for_customer=True)
    result = ranking.rank_candidates([partner, sister, home], NEEDS)
    assert [s.name for s in result[:2]] == ["Zoe", "Bea"]
    assert [s.total for s in result[:2]] == [100.0, 100.0]
    assert result[-1].name == "Aaron"


def test_lent_consultant_scores_as_internal():
    """A sister company's consultant earns the internal points; the part says so."""
    sister = ranking.score_candidate(_facts(is_lent=True), NEEDS)
    part = next(p for p in sister.parts if p.key == "internal")
    assert part.points == ranking.WEIGHT_INTERNAL
    assert part.values == {"is_external": False, "is_lent": True}


def test_bench_boost_ranks_idle_consultant_first():
    """Between two internals the one on the bench ranks higher."""
    busy = _facts(employee_key=1, name="Alice", utilization=0.8)
    idle = _facts(employee_key=2, name="Bob", utilization=0.1)
    result = ranking.rank_candidates([busy, idle], NEEDS)
    assert [(s.name, s.total) for s in result] == [("Bob", 98.0), ("Alice", 90.0)]


def test_more_available_hours_breaks_tie():
    """When both cover the need, more available hours comes first."""
    some = _facts(employee_key=1, name="Alice", available_hours=80.0)
    more = _facts(employee_key=2, name="Bob", available_hours=120.0)
    result = ranking.rank_candidates([some, more], NEEDS)
    assert [s.name for s in result] == ["Bob", "Alice"]


def test_full_tie_is_broken_by_name_then_key():
    """Identical candidates are ordered by name, then by employee key."""
    carol = _facts(employee_key=3, name="Carol")
    bob_9 = _facts(employee_key=9, name="Bob")
    bob_4 = _facts(employee_key=4, name="Bob")
    result = ranking.rank_candidates([carol, bob_9, bob_4], NEEDS)
    assert [s.employee_key for s in result] == [4, 9, 3]


def test_rank_respects_limit():
    """At most `limit` scores are returned, best first."""
    pool = [_facts(employee_key=k, name=f"C{k}", utilization=k / 10) for k in range(5)]
    result = ranking.rank_candidates(pool, NEEDS, limit=2)
    assert [s.employee_key for s in result] == [0, 1]


def test_rank_rejects_non_positive_limit():
    """limit 0 is a caller error."""
    with pytest.raises(ValueError):
        ranking.rank_candidates([PERFECT], NEEDS, limit=0)


def test_missing_mandatory_lists_unmet_mandatory_skills_only():
    """Missing or too-low mandatory skills are listed; preferred ones never."""
    needs = [
        ranking.SkillNeed(skill_key=1, min_progress=50, mandatory=True),
        ranking.SkillNeed(skill_key=2, min_progress=50, mandatory=True),
        ranking.SkillNeed(skill_key=3, min_progress=100, mandatory=False),
    ]
    assert ranking.missing_mandatory({1: 75, 2: 25}, needs) == (2,)
    assert ranking.missing_mandatory({}, needs) == (1, 2)
    assert ranking.missing_mandatory({1: 50, 2: 100}, needs) == ()

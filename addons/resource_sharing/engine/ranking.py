"""Score and rank consultants for a staffing need, with an explainable breakdown.

Each score is made of parts (skills, availability, internal, bench, customer,
margin). A part carries a stable ``key`` and the raw ``values`` behind its
points, so the Odoo side can render a translated explanation.
Skill levels are progress percentages 0-100 (``hr.skill.level.level_progress``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

WEIGHT_SKILLS_MANDATORY = 15.0
WEIGHT_SKILLS_PREFERRED = 15.0
WEIGHT_SKILLS = WEIGHT_SKILLS_MANDATORY + WEIGHT_SKILLS_PREFERRED
WEIGHT_AVAILABILITY = 40.0
WEIGHT_INTERNAL = 10.0
WEIGHT_BENCH = 10.0
WEIGHT_CUSTOMER = 5.0
WEIGHT_MARGIN = 5.0
# Utilization at which the bench bonus has dropped to zero.
BENCH_ZERO_UTILIZATION = 0.5

_DIGITS = 4


@dataclass(frozen=True)
class SkillNeed:
    """A skill the work requires (mandatory) or would benefit from (preferred)."""

    skill_key: int
    min_progress: int
    mandatory: bool


@dataclass(frozen=True)
class CandidateFacts:
    """Everything the ranking needs to know about one consultant, Odoo-free."""

    employee_key: int
    name: str
    skills: Mapping[int, int]  # skill_key -> progress (0-100)
    is_external: bool
    available_hours: float
    needed_hours: float
    utilization: float  # 0..1+ over the period
    worked_for_customer: bool
    cost_rate: float
    sold_rate: float
    # an internal consultant of a sister company, lent under an agreement
    # (their cost_rate is then the intercompany rate)
    is_lent: bool = False


@dataclass(frozen=True)
class ScorePart:
    """One explained component of a score; ``values`` are the numbers behind it."""

    key: str
    points: float
    max_points: float
    values: dict


@dataclass(frozen=True)
class Score:
    """A candidate's score; ``total`` is 0.0 when a mandatory skill is missing.

    The parts are computed for ineligible candidates too, to explain them.
    """

    employee_key: int
    name: str
    total: float
    parts: tuple[ScorePart, ...]
    missing_mandatory: tuple[int, ...]

    @property
    def eligible(self) -> bool:
        """Whether all mandatory skills are met, i.e. the candidate may be proposed."""
        return not self.missing_mandatory


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _need_fulfilment(need: SkillNeed, skills: Mapping[int, int]) -> float:
    """0..1: how far the consultant reaches the need's minimum level."""
    if need.skill_key not in skills:
        return 0.0
    if need.min_progress <= 0:
        return 1.0
    return _clamp(skills[need.skill_key] / need.min_progress)


def missing_mandatory(
    skills: Mapping[int, int], needs: Sequence[SkillNeed]
) -> tuple[int, ...]:
    """Keys of the mandatory skills missing or below their minimum level."""
    missing: list[int] = []
    for need in needs:
        if not need.mandatory:
            continue
        progress = skills.get(need.skill_key)
        if (progress is None or progress < need.min_progress) and (
            need.skill_key not in missing
        ):
            missing.append(need.skill_key)
    return tuple(missing)


def _skills_part(
    facts: CandidateFacts, needs: Sequence[SkillNeed]
) -> tuple[ScorePart, tuple[int, ...]]:
    missing = missing_mandatory(facts.skills, needs)
    mandatory = [need for need in needs if need.mandatory]
    preferred = [need for need in needs if not need.mandatory]
    mandatory_points = 0.0 if missing else WEIGHT_SKILLS_MANDATORY
    if preferred:
        share = sum(_need_fulfilment(n, facts.skills) for n in preferred) / len(
            preferred
        )
    else:
        share = 1.0
    part = ScorePart(
        key="skills",
        points=mandatory_points + WEIGHT_SKILLS_PREFERRED * share,
        max_points=WEIGHT_SKILLS,
        values={
            "mandatory_count": len(mandatory),
            "mandatory_missing": len(missing),
            "preferred_count": len(preferred),
            "preferred_share": round(share, _DIGITS),
        },
    )
    return part, missing


def _availability_part(facts: CandidateFacts) -> ScorePart:
    if facts.needed_hours <= 0:
        ratio = 1.0
    else:
        ratio = _clamp(facts.available_hours / facts.needed_hours)
    return ScorePart(
        key="availability",
        points=WEIGHT_AVAILABILITY * ratio,
        max_points=WEIGHT_AVAILABILITY,
        values={
            "available": float(facts.available_hours),
            "needed": float(facts.needed_hours),
            "ratio": round(ratio, _DIGITS),
        },
    )


def _internal_part(facts: CandidateFacts) -> ScorePart:
    return ScorePart(
        key="internal",
        points=0.0 if facts.is_external else WEIGHT_INTERNAL,
        max_points=WEIGHT_INTERNAL,
        values={"is_external": facts.is_external, "is_lent": facts.is_lent},
    )


def _bench_part(facts: CandidateFacts) -> ScorePart:
    factor = _clamp(1.0 - max(0.0, facts.utilization) / BENCH_ZERO_UTILIZATION)
    return ScorePart(
        key="bench",
        points=WEIGHT_BENCH * factor,
        max_points=WEIGHT_BENCH,
        values={"utilization": float(facts.utilization)},
    )


def _customer_part(facts: CandidateFacts) -> ScorePart:
    return ScorePart(
        key="customer",
        points=WEIGHT_CUSTOMER if facts.worked_for_customer else 0.0,
        max_points=WEIGHT_CUSTOMER,
        values={"worked_for_customer": facts.worked_for_customer},
    )


def _margin_part(facts: CandidateFacts) -> ScorePart:
    if facts.sold_rate <= 0:
        ratio = 0.0
    else:
        ratio = (facts.sold_rate - facts.cost_rate) / facts.sold_rate
    return ScorePart(
        key="margin",
        points=WEIGHT_MARGIN * _clamp(ratio),
        max_points=WEIGHT_MARGIN,
        values={
            "cost_rate": float(facts.cost_rate),
            "sold_rate": float(facts.sold_rate),
            "margin_ratio": round(ratio, _DIGITS),
            "is_lent": facts.is_lent,
        },
    )


def score_candidate(facts: CandidateFacts, needs: Sequence[SkillNeed]) -> Score:
    """Score one consultant against the needs (0-100) with its breakdown."""
    skills, missing = _skills_part(facts, needs)
    raw_parts = (
        skills,
        _availability_part(facts),
        _internal_part(facts),
        _bench_part(facts),
        _customer_part(facts),
        _margin_part(facts),
    )
    parts = tuple(replace(p, points=round(p.points, _DIGITS)) for p in raw_parts)
    total = 0.0 if missing else round(sum(part.points for part in parts), 1)
    return Score(
        employee_key=facts.employee_key,
        name=facts.name,
        total=total,
        parts=parts,
        missing_mandatory=missing,
    )


def rank_candidates(
    facts: Iterable[CandidateFacts], needs: Sequence[SkillNeed], limit: int = 10
) -> list[Score]:
    """Best eligible candidates first, at most ``limit``, in a deterministic order.

    Ties on the total go to the home company's consultants, then to those of
    sister companies, then to partners; then to more available hours, then by
    name and finally by employee key.
    """
    if limit <= 0:
        raise ValueError(f"limit must be positive, got {limit}")
    scored = []
    for candidate in facts:
        score = score_candidate(candidate, needs)
        if score.eligible:
            scored.append((candidate, score))
    scored.sort(
        key=lambda pair: (
            -pair[1].total,
            pair[0].is_external,
            pair[0].is_lent,
            -pair[0].available_hours,
            pair[0].name,
            pair[0].employee_key,
        )
    )
    return [score for _candidate, score in scored[:limit]]

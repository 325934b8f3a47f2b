"""Pure scoring rules (SPEC §3): totals with N/A rescaling, bonus and penalty, bands, ranks.

Nothing here touches files: functions take validated models and return results.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from isoprov.assessment import Assessment
from isoprov.criteria import CriteriaSet

ZERO = Decimal(0)
CENT = Decimal("0.01")


class CriterionResult(NamedTuple):
    """One leaf for one agency: its points and whether it counts.

    Named tuples, not dataclasses: results cross process boundaries in large batches, and
    tuples pickle several times faster.
    """

    id: str
    title: str
    group: str
    kind: str
    max: Decimal
    self_points: Decimal | None
    team: Decimal | None
    final: Decimal
    applicable: bool
    na_reason: str | None
    evidence_count: int


class GroupResult(NamedTuple):
    """A top-level group (nhóm tiêu chí): points earned out of points possible."""

    id: str
    title: str
    earned: Decimal
    possible: Decimal
    self_earned: Decimal


@dataclass(frozen=True, slots=True)
class Result:
    """The scored assessment of one agency (kết quả chấm điểm)."""

    file: str
    agency_code: str
    agency_name: str
    level: str
    criteria: str
    period: str
    self_total: Decimal
    total: Decimal
    band: str
    groups: tuple[GroupResult, ...]
    details: tuple[CriterionResult, ...]
    rank: int | None = None
    warnings: tuple[str, ...] = ()

    @property
    def difference(self) -> Decimal:
        """Final minus self total (negative when the team scored lower)."""
        return self.total - self.self_total


def round_points(value: Decimal) -> Decimal:
    """Half-up to 2 decimals (làm tròn đến 2 chữ số thập phân)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def total_points(earned: Decimal, possible: Decimal, bonus: Decimal, penalty: Decimal, scale: Decimal) -> Decimal:
    """clamp(earned / possible × scale + bonus − penalty, 0, scale), rounded half-up to 2 places.

    With nothing applicable (possible = 0) the rescaled part is 0.
    """
    # Exact rational arithmetic, rounded once: a Decimal division would round to 28 digits first,
    # and a rounded quotient can land on a different side of the half-cent.
    base = Fraction(earned) * Fraction(scale) / Fraction(possible) if possible > 0 else Fraction(0)
    exact = max(Fraction(0), min(Fraction(scale), base + Fraction(bonus) - Fraction(penalty)))
    cents = math.floor(exact * 100 + Fraction(1, 2))  # half-up (the value is never negative)
    return Decimal(cents).scaleb(-2)


def score(a: Assessment, cs: CriteriaSet, file: str = "", warnings: Iterable[str] = ()) -> Result:
    """Score one valid assessment against its criteria set."""
    level = a.agency.level
    details: list[CriterionResult] = []
    for leaf in cs.leaves:
        entry = a.scores.get(leaf.id)
        na_reason = entry.na if entry is not None and leaf.na else None
        applicable = leaf.applies_to(level) and na_reason is None
        details.append(
            CriterionResult(
                id=leaf.id,
                title=leaf.title,
                group=cs.group_of[leaf.id],
                kind=leaf.kind,
                max=leaf.max or ZERO,
                self_points=entry.self_points if entry else None,
                team=entry.team if entry else None,
                final=(entry.final or ZERO) if entry and applicable else ZERO,
                applicable=applicable,
                na_reason=na_reason,
                evidence_count=len(entry.evidence) if entry else 0,
            )
        )
    scored = [d for d in details if d.kind == "score" and d.applicable]
    possible = sum((d.max for d in scored), ZERO)
    earned = sum((d.final for d in scored), ZERO)
    self_earned = sum((d.self_points or ZERO for d in scored), ZERO)
    bonus = sum((d.final for d in details if d.kind == "bonus" and d.applicable), ZERO)
    penalty = sum((d.final for d in details if d.kind == "penalty" and d.applicable), ZERO)
    self_bonus = sum((d.self_points or ZERO for d in details if d.kind == "bonus" and d.applicable), ZERO)
    self_penalty = sum((d.self_points or ZERO for d in details if d.kind == "penalty" and d.applicable), ZERO)
    total = total_points(earned, possible, bonus, penalty, cs.scale)
    self_total = total_points(self_earned, possible, self_bonus, self_penalty, cs.scale)
    return Result(
        file=file,
        agency_code=a.agency.code,
        agency_name=a.agency.name,
        level=level,
        criteria=cs.id,
        period=a.period,
        self_total=self_total,
        total=total,
        band=cs.band_for(total),
        groups=_groups(cs, scored),
        details=tuple(details),
        warnings=tuple(warnings),
    )


def _groups(cs: CriteriaSet, scored: Sequence[CriterionResult]) -> tuple[GroupResult, ...]:
    out: list[GroupResult] = []
    for top in cs.criteria:
        if top.kind != "score":
            continue
        mine = [d for d in scored if d.group == top.id]
        out.append(
            GroupResult(
                id=top.id,
                title=top.title,
                earned=sum((d.final for d in mine), ZERO),
                possible=sum((d.max for d in mine), ZERO),
                self_earned=sum((d.self_points or ZERO for d in mine), ZERO),
            )
        )
    return tuple(out)


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Standard competition ranking (1, 2, 2, 4): 1 + how many totals are strictly higher."""
    ordered = sorted(totals, reverse=True)
    first_at: dict[Decimal, int] = {}
    for i, t in enumerate(ordered):
        first_at.setdefault(t, i + 1)
    return [first_at[t] for t in totals]


def rank(results: Iterable[Result]) -> list[Result]:
    """Rank results among those of the same criteria set, period and level.

    Returns them ordered by criteria set, period, level, then rank and agency code.
    """
    pools: dict[tuple[str, str, str], list[Result]] = {}
    for r in results:
        pools.setdefault((r.criteria, r.period, r.level), []).append(r)
    out: list[Result] = []
    for key in sorted(pools):
        pool = pools[key]
        ranks = competition_ranks([r.total for r in pool])
        ranked = [replace(r, rank=k) for r, k in zip(pool, ranks, strict=True)]
        out.extend(sorted(ranked, key=lambda r: (r.rank or 0, r.agency_code)))
    return out

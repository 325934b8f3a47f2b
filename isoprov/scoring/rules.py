"""Pure scoring rules (SPEC §3): totals with N/A rescaling, bonus and penalty, bands, ranks.

Nothing here touches files: functions take validated models and return results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from isoprov.scoring.assessment import Assessment
from isoprov.scoring.criteria import CriteriaSet

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

    def __reduce__(self) -> tuple[Callable[..., Result], tuple[Any, ...]]:
        # Speed: results cross process boundaries in large batches, and plain tuples pickle and
        # unpickle several times faster than named tuples and a dataclass's state.
        return (
            _result_from_tuples,
            (
                self.file,
                self.agency_code,
                self.agency_name,
                self.level,
                self.criteria,
                self.period,
                self.self_total,
                self.total,
                self.band,
                tuple(map(tuple, self.groups)),
                tuple(map(tuple, self.details)),
                self.rank,
                self.warnings,
            ),
        )


def _result_from_tuples(
    file: str,
    agency_code: str,
    agency_name: str,
    level: str,
    criteria: str,
    period: str,
    self_total: Decimal,
    total: Decimal,
    band: str,
    groups: tuple[tuple[Any, ...], ...],
    details: tuple[tuple[Any, ...], ...],
    rank: int | None,
    warnings: tuple[str, ...],
) -> Result:
    """A :class:`Result` from what its ``__reduce__`` gave."""
    return Result(
        file,
        agency_code,
        agency_name,
        level,
        criteria,
        period,
        self_total,
        total,
        band,
        tuple(map(GroupResult._make, groups)),
        tuple(map(CriterionResult._make, details)),
        rank,
        warnings,
    )


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
    # and a rounded quotient can land on a different side of the half-cent. Speed: the fractions
    # are kept as integer numerator/denominator pairs (each Decimal's exact ratio, denominators
    # positive); `fractions.Fraction` costs ten times as much and this runs twice per file.
    en, ed = earned.as_integer_ratio()
    sn, sd = scale.as_integer_ratio()
    bn, bd = bonus.as_integer_ratio()
    qn, qd = penalty.as_integer_ratio()
    if possible > 0:
        pn, pd = possible.as_integer_ratio()
        num, den = en * sn * pd, ed * sd * pn
    else:
        num, den = 0, 1
    # base + bonus − penalty
    num, den = num * bd * qd + bn * den * qd - qn * den * bd, den * bd * qd
    if num * sd > sn * den:  # min(scale, …)
        num, den = sn, sd
    if num < 0:  # max(0, …)
        num, den = 0, 1
    cents = (200 * num + den) // (2 * den)  # floor(exact × 100 + 1/2): half-up (never negative)
    return Decimal(cents).scaleb(-2)


def score(a: Assessment, cs: CriteriaSet, file: str = "", warnings: Iterable[str] = ()) -> Result:
    """Score one valid assessment against its criteria set."""
    # Speed: one pass over the leaves adds every sum up as it goes (in leaf order, as a `sum()`
    # per total would: Decimal addition rounds past 28 digits, so the order is kept).
    level = a.agency.level
    scores = a.scores
    group_of = cs.group_of
    details: list[CriterionResult] = []
    possible = earned = self_earned = bonus = penalty = self_bonus = self_penalty = ZERO
    groups: dict[str, list[Decimal]] = {}  # group id → earned, possible, self-earned
    for leaf in cs.leaves:
        entry = scores.get(leaf.id)
        na_reason = entry.na if entry is not None and leaf.na else None
        applicable = leaf.applies_to(level) and na_reason is None
        self_points = entry.self_points if entry else None
        final = (entry.final or ZERO) if entry and applicable else ZERO
        d = CriterionResult(
            leaf.id,
            leaf.title,
            group_of[leaf.id],
            leaf.kind,
            leaf.max or ZERO,
            self_points,
            entry.team if entry else None,
            final,
            applicable,
            na_reason,
            len(entry.evidence) if entry else 0,
        )
        details.append(d)
        if not applicable:
            continue
        own = self_points or ZERO
        if d.kind == "score":
            possible += d.max
            earned += final
            self_earned += own
            sums = groups.get(d.group)
            if sums is None:
                groups[d.group] = [ZERO + final, ZERO + d.max, ZERO + own]  # as `sum(..., ZERO)` adds
            else:
                sums[0] += final
                sums[1] += d.max
                sums[2] += own
        elif d.kind == "bonus":
            bonus += final
            self_bonus += own
        elif d.kind == "penalty":
            penalty += final
            self_penalty += own
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
        groups=_groups(cs, groups),
        details=tuple(details),
        warnings=tuple(warnings),
    )


def _groups(cs: CriteriaSet, sums: dict[str, list[Decimal]]) -> tuple[GroupResult, ...]:
    out: list[GroupResult] = []
    for top in cs.criteria:
        if top.kind != "score":
            continue
        earned, possible, self_earned = sums.get(top.id, (ZERO, ZERO, ZERO))
        out.append(GroupResult(top.id, top.title, earned, possible, self_earned))
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

"""Pure scoring rules (SPEC §3, §3b): totals with N/A rescaling, weights, bonus and penalty,
ceiling and rounding, bands with their requirements, ranks with their tie-break.

Nothing here touches files: functions take validated models and return results. A set that uses
none of the keys of §3b is scored by the plain path of §3, unchanged; a set that uses one goes
through :func:`_score_with_rules`, exact (``Fraction`` where a proportion does not end) and
rounded once, at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import partial
from typing import Any, NamedTuple

from isoprov.core.rounding import round_exact
from isoprov.scoring.assessment import Assessment
from isoprov.scoring.criteria import CriteriaSet
from isoprov.scoring.measure import SHOWN_PLACES, Counts, EntryValue, Ratio, RoundRule, as_decimal
from isoprov.scoring.points import Exact, points_of

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
#: The rounding of a set that does not say (SPEC §3): 2 decimals, half-up.
DEFAULT_ROUNDING = RoundRule(places=2, mode="half-up")


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
    #: What the entry gave where it is not the points (SPEC §3b): a measured value, {count, of},
    #: a count, a condition's true/false; None for fixed points.
    self_input: EntryValue | None = None
    team_input: EntryValue | None = None
    #: The exact final points when ``final`` shows them rounded (a proportion that does not end).
    final_exact: Fraction | None = None
    self_exact: Fraction | None = None


class GroupResult(NamedTuple):
    """A top-level group (nhóm tiêu chí): points earned out of points possible."""

    id: str
    title: str
    earned: Decimal
    possible: Decimal
    self_earned: Decimal
    weight: Decimal = ONE
    #: The exact earned points when ``earned`` shows them rounded.
    earned_exact: Fraction | None = None
    self_exact: Fraction | None = None

    @property
    def exact_earned(self) -> Exact:
        return self.earned if self.earned_exact is None else self.earned_exact

    @property
    def exact_self_earned(self) -> Exact:
        return self.self_earned if self.self_exact is None else self.self_exact


class MissedBand(NamedTuple):
    """A band the total reached but whose requirements failed, and why (in Vietnamese)."""

    band: str
    reasons: tuple[str, ...]


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
    band: str | None
    groups: tuple[GroupResult, ...]
    #: Every leaf of the set, in its order (a tuple; from a worker process, a sequence put
    #: back together when first read: see ``isoprov.pipeline.score``).
    details: Sequence[CriterionResult]
    rank: int | None = None
    warnings: tuple[str, ...] = ()
    band_missed: tuple[MissedBand, ...] = ()
    #: The total before rounding (after bonus, penalty and the ceiling), for ``tie_break: exact``
    #: and the explanation; None on the plain path of §3, which has no use for it.
    exact_total: Fraction | None = None
    #: The set's ``ranking.tie_break`` keys for this result (the exact total, groups' weighted
    #: points), compared in turn between results equal on the rounded total.
    tie_keys: tuple[Exact, ...] = ()

    @property
    def difference(self) -> Decimal:
        """Final minus self total (negative when the team scored lower)."""
        return self.total - self.self_total

    def __reduce__(self) -> tuple[Callable[..., Result], tuple[Any, ...]]:
        # Speed: results cross process boundaries in large batches, and plain tuples pickle and
        # unpickle several times faster than named tuples and a dataclass's state.
        return (_result_from_tuples, self.plain_fields(tuple(map(tuple, self.details))))

    def plain_fields(self, details: Any) -> tuple[Any, ...]:
        """Every field in order as plain values (tuples, integer pairs for fractions), with
        ``details`` in the place of the details: how a result travels between processes
        (:func:`result_from_fields` puts it back together)."""
        return (
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
            details,
            self.rank,
            self.warnings,
            self.band_missed,
            None if self.exact_total is None else self.exact_total.as_integer_ratio(),
            tuple(_pair(k) for k in self.tie_keys),
        )


#: A :class:`CriterionResult` from a plain tuple of its fields, without a Python call per leaf.
criterion_from_tuple: Callable[[tuple[Any, ...]], CriterionResult] = partial(tuple.__new__, CriterionResult)


def _result_from_tuples(*fields: Any) -> Result:
    """A :class:`Result` from what its ``__reduce__`` gave."""
    return result_from_fields(fields, tuple(map(criterion_from_tuple, fields[DETAILS_AT])))


#: Where the criteria set's id and the details stand in :meth:`Result.plain_fields`.
CRITERIA_AT = 4
DETAILS_AT = 10


def result_from_fields(fields: Sequence[Any], details: Sequence[CriterionResult]) -> Result:
    """A :class:`Result` from :meth:`Result.plain_fields` and its details (the value in the
    details' place is not read)."""
    (file, agency_code, agency_name, level, criteria, period, self_total, total, band, groups, _,
     rank, warnings, band_missed, exact_total, tie_keys) = fields  # fmt: skip
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
        details,
        rank,
        warnings,
        band_missed,
        None if exact_total is None else Fraction(*exact_total),
        tuple(Fraction(*k) if isinstance(k, tuple) else k for k in tie_keys),
    )


def _pair(value: Exact) -> Exact | tuple[int, int]:
    """A Fraction as its integer pair for pickling (a Fraction pickles as text, parsed back)."""
    return value.as_integer_ratio() if isinstance(value, Fraction) else value


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
    if cs.uses_rules:
        return _score_with_rules(a, cs, file, warnings)
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
        # a set without the keys of §3b takes points only (its entries are checked against it)
        self_points: Decimal | None = entry.self_points if entry else None  # type: ignore[assignment]
        final: Decimal = (entry.final or ZERO) if entry and applicable else ZERO  # type: ignore[assignment]
        d = CriterionResult(
            leaf.id,
            leaf.title,
            group_of[leaf.id],
            leaf.kind,
            leaf.max or ZERO,
            self_points,
            entry.team if entry else None,  # type: ignore[arg-type]
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


def _score_with_rules(a: Assessment, cs: CriteriaSet, file: str, warnings: Iterable[str]) -> Result:
    """Score a set that uses the keys of SPEC §3b: each leaf's points by its rule, weighted
    groups, the set's ceiling and rounding, bands with their requirements."""
    from isoprov.scoring.bands import decide_band

    level = a.agency.level
    scores = a.scores
    details: list[CriterionResult] = []
    # group id → [earned, possible, self-earned]: Decimal sums, with the rare Fraction points
    # (a proportion that does not end) kept apart so that the common sums stay cheap
    sums: dict[str, list[Decimal]] = {}
    extra: dict[str, list[Fraction]] = {}
    outside = {"bonus": [ZERO, ZERO], "penalty": [ZERO, ZERO]}  # final, self
    outside_extra: dict[str, list[Fraction]] = {}
    conditions: dict[str, bool | None] = {}
    for leaf, group, ruled in cs.score_plan:
        entry = scores.get(leaf.id)
        na_reason = entry.na if entry is not None and leaf.na else None
        applicable = (leaf.levels is None or level in leaf.levels) and na_reason is None
        if entry is None:
            self_in = team_in = None
            evidence = 0
        else:
            self_in, team_in, evidence = entry.self_points, entry.team, len(entry.evidence)
        if ruled is None:  # a condition
            final_in = team_in if team_in is not None else self_in
            if applicable:
                conditions[leaf.id] = final_in is True
            details.append(
                CriterionResult(
                    leaf.id, leaf.title, group, leaf.kind, ZERO, None, None, ZERO,
                    applicable, na_reason, evidence, self_in, team_in,
                )
            )  # fmt: skip
            continue
        maximum = leaf.max or ZERO
        if not ruled:  # fixed points, checked to be numbers
            final: Exact = ZERO
            if entry and applicable:
                final = (team_in if team_in is not None else self_in) or ZERO  # type: ignore[assignment]
            details.append(
                CriterionResult(
                    leaf.id, leaf.title, group, leaf.kind, maximum, self_in, team_in, final,  # type: ignore[arg-type]
                    applicable, na_reason, evidence,
                )
            )  # fmt: skip
            own: Exact = (self_in or ZERO) if applicable else ZERO  # type: ignore[assignment]
            fractional = False
        else:
            self_p = None if self_in is None else _interned(points_of(leaf, self_in))
            team_p = None if team_in is None else _interned(points_of(leaf, team_in))
            final = ZERO
            if entry and applicable:
                final = team_p if team_p is not None else (self_p if self_p is not None else ZERO)
            own = self_p if self_p is not None and applicable else ZERO
            self_shown, self_exact = (None, None) if self_p is None else _shown(self_p)
            team_shown = None if team_p is None else _shown(team_p)[0]
            final_shown, final_exact = _shown(final)
            details.append(
                CriterionResult(
                    leaf.id, leaf.title, group, leaf.kind, maximum, self_shown, team_shown, final_shown,
                    applicable, na_reason, evidence, _kept(self_in), _kept(team_in), final_exact, self_exact,
                )
            )  # fmt: skip
            fractional = final.__class__ is Fraction or own.__class__ is Fraction
        if not applicable:
            continue
        if leaf.kind == "score":
            acc = sums.get(group)
            if acc is None:
                acc = sums[group] = [ZERO, ZERO, ZERO]
            acc[1] += maximum
            if not fractional:
                acc[0] += final  # type: ignore[operator]
                acc[2] += own  # type: ignore[operator]
                continue
            more = extra.setdefault(group, [Fraction(0), Fraction(0), Fraction(0)])
            for k, value in ((0, final), (2, own)):
                if value.__class__ is Fraction:
                    more[k] += value
                else:
                    acc[k] += value  # type: ignore[operator]
        else:
            acc = outside[leaf.kind]
            for k, value in ((0, final), (1, own)):
                if value.__class__ is Fraction:
                    outside_extra.setdefault(leaf.kind, [Fraction(0), Fraction(0)])[k] += value
                else:
                    acc[k] += value  # type: ignore[operator]
    groups = _weighted_groups(cs, sums, extra)
    totals = []
    for k, attr in ((0, "exact_earned"), (1, "exact_self_earned")):
        earned: Exact = ZERO
        possible = ZERO
        for g in groups:
            earned = _add(earned, _times(g.weight, getattr(g, attr)))
            possible += g.weight * g.possible
        bonus = _with_extra(outside["bonus"][k], outside_extra.get("bonus"), k)
        penalty = _with_extra(outside["penalty"][k], outside_extra.get("penalty"), k)
        totals.append(exact_total(earned, possible, bonus, penalty, cs.scale, cs.max_total or cs.scale))
    exact, exact_self = totals
    rounding = cs.rounding or DEFAULT_ROUNDING
    total = rounding.apply(exact)
    band, missed = decide_band(cs, total, groups, details, conditions)
    return Result(
        file=file,
        agency_code=a.agency.code,
        agency_name=a.agency.name,
        level=level,
        criteria=cs.id,
        period=a.period,
        self_total=rounding.apply(exact_self),
        total=total,
        band=band,
        groups=groups,
        details=tuple(details),
        warnings=tuple(warnings),
        band_missed=missed,
        exact_total=exact,
        tie_keys=_tie_keys(cs, exact, groups),
    )


def _tie_keys(cs: CriteriaSet, exact: Fraction, groups: Sequence[GroupResult]) -> tuple[Exact, ...]:
    if cs.ranking is None:
        return ()
    by_id = {g.id: g for g in groups}
    out: list[Exact] = []
    for key in cs.ranking.tie_break:
        if key == "exact":
            out.append(exact)
        else:
            g = by_id[key]
            out.append(_times(g.weight, g.exact_earned))
    return tuple(out)


def exact_total(
    earned: Exact, possible: Exact, bonus: Exact, penalty: Exact, scale: Decimal, ceiling: Decimal
) -> Fraction:
    """clamp(earned / possible × scale + bonus − penalty, 0, ceiling), exactly (SPEC §3b); the
    rescaled part is 0 when nothing is possible. ``earned`` and ``possible`` are weighted."""
    # Speed: as integer numerator/denominator pairs, one Fraction made at the end (as
    # total_points does; a Fraction per operation costs ten times as much)
    if possible > 0:
        en, ed = earned.as_integer_ratio()
        pn, pd = possible.as_integer_ratio()
        sn, sd = scale.as_integer_ratio()
        num, den = en * pd * sn, ed * pn * sd
    else:
        num, den = 0, 1
    bn, bd = bonus.as_integer_ratio()
    qn, qd = penalty.as_integer_ratio()
    num, den = num * bd * qd + bn * den * qd - qn * den * bd, den * bd * qd
    cn, cd = ceiling.as_integer_ratio()
    if num * cd > cn * den:
        return Fraction(cn, cd)
    return Fraction(num, den) if num > 0 else Fraction(0)


def _interned(points: Exact) -> Exact:
    """The same Decimal object for the same computed points (by their digits, so 4 and 4.0 stay
    apart). Speed: results cross processes in large batches, and pickle writes an object seen
    before as a reference; computed points would otherwise each be written out and parsed back."""
    if points.__class__ is not Decimal:
        return points
    key = str(points)
    found = _INTERNED.get(key)
    if found is None:
        if len(_INTERNED) < 10_000:
            _INTERNED[key] = points
        return points
    return found


_INTERNED: dict[str, Decimal] = {}


def _kept(raw: EntryValue | None) -> EntryValue | None:
    """An input as a result keeps it: two counts as a plain tuple, not the validated model."""
    if raw.__class__ is Ratio:
        assert isinstance(raw, Ratio)
        return Counts(raw.count, raw.of)
    return raw


def _with_extra(value: Decimal, extra: list[Fraction] | None, k: int) -> Exact:
    return value if extra is None else _add(value, extra[k])


def _add(a: Exact, b: Exact) -> Exact:
    """a + b, exact: Decimal while both are (Decimal and Fraction do not mix)."""
    if type(a) is not Fraction and type(b) is not Fraction:
        return a + b  # type: ignore[operator]
    return as_decimal(Fraction(a) + Fraction(b))


def _times(a: Decimal, b: Exact) -> Exact:
    if type(b) is not Fraction:
        return a * b  # type: ignore[operator]
    return as_decimal(Fraction(a) * b)


def _shown(value: Exact) -> tuple[Decimal, Fraction | None]:
    """Points as a ``Decimal`` for reports, and the exact fraction when that is rounded."""
    if value.__class__ is Fraction:  # Speed: not isinstance (Fraction's is an ABC check)
        assert isinstance(value, Fraction)
        return round_exact(value, SHOWN_PLACES), value
    return value, None  # type: ignore[return-value]


def _weighted_groups(
    cs: CriteriaSet, sums: dict[str, list[Decimal]], extra: dict[str, list[Fraction]]
) -> tuple[GroupResult, ...]:
    out: list[GroupResult] = []
    weights = cs.weights
    for top in cs.criteria:
        if top.kind != "score":
            continue
        earned, possible, self_earned = sums.get(top.id, (ZERO, ZERO, ZERO))
        more = extra.get(top.id)
        if more is None:
            out.append(GroupResult(top.id, top.title, earned, possible, self_earned, weights[top.id]))
            continue
        earned_shown, earned_exact = _shown(_add(earned, more[0]))
        self_shown, self_exact = _shown(_add(self_earned, more[2]))
        out.append(
            GroupResult(
                top.id, top.title, earned_shown, possible, self_shown, weights[top.id], earned_exact, self_exact
            )
        )
    return tuple(out)


def _groups(cs: CriteriaSet, sums: dict[str, list[Decimal]]) -> tuple[GroupResult, ...]:
    out: list[GroupResult] = []
    for top in cs.criteria:
        if top.kind != "score":
            continue
        earned, possible, self_earned = sums.get(top.id, (ZERO, ZERO, ZERO))
        out.append(GroupResult(top.id, top.title, earned, possible, self_earned))
    return tuple(out)


def competition_ranks(totals: Sequence[Any]) -> list[int]:
    """Standard competition ranking (1, 2, 2, 4): 1 + how many totals are strictly higher.

    A total may be a tuple (the rounded total, then the tie-break keys), compared in turn."""
    ordered = sorted(totals, reverse=True)
    first_at: dict[Any, int] = {}
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
        ranks = competition_ranks([(r.total, *r.tie_keys) if r.tie_keys else r.total for r in pool])
        ranked = [replace(r, rank=k) for r, k in zip(pool, ranks, strict=True)]
        out.extend(sorted(ranked, key=lambda r: (r.rank or 0, r.agency_code)))
    return out

"""Comparing scoring results (SPEC §10): two years (so sánh hai kỳ), and self against team.

Pure functions over :class:`~isoprov.scoring.rules.Result`: scoring each side is the score
pipeline's job; nothing here reads a file.

- :func:`compare_results` matches agencies by code (compared by
  :func:`~isoprov.scoring.registry.agency_key`: NFC, trimmed, case-folded, so ``skhcn `` and
  ``SKHCN`` are one agency), gives each side's own total, band and rank and the
  change, the criteria that moved most, the agencies present on one side only, and the criterion
  ids that exist on one side only when the two sides use different criteria sets.
- :func:`self_team_gaps` shows where agencies score themselves above the assessment team (điểm
  tự chấm cao hơn điểm thẩm định): per criterion and per agency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from isoprov.core.diagnostics import Diagnostic, Severity
from isoprov.scoring.registry import agency_key
from isoprov.scoring.rules import CriterionResult, Result

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Standing:
    """An agency's place on one side: its own total, band and rank (within its level)."""

    total: Decimal
    band: str | None  # None: the set has no bands (SPEC §3b)
    rank: int | None
    name: str
    level: str
    criteria: str
    period: str
    file: str


@dataclass(frozen=True, slots=True)
class CriterionChange:
    """One criterion of one agency on both sides, matched by id: final points (None when it did
    not apply on that side) and the change."""

    id: str
    title: str
    kind: str
    old: Decimal | None
    new: Decimal | None
    old_max: Decimal
    new_max: Decimal

    @property
    def change(self) -> Decimal:
        """Points gained: new minus old, and for a penalty (điểm trừ) old minus new (fewer
        penalty points is a gain)."""
        raw = (self.new or ZERO) - (self.old or ZERO)
        return -raw if self.kind == "penalty" else raw


@dataclass(frozen=True, slots=True)
class AgencyChange:
    """An agency found on both sides (cơ quan có ở cả hai kỳ)."""

    code: str
    old: Standing
    new: Standing
    criteria: tuple[CriterionChange, ...]  # criteria whose points changed, the largest change first

    @property
    def name(self) -> str:
        """The name it has now (the new side's)."""
        return self.new.name

    @property
    def level(self) -> str:
        return self.new.level

    @property
    def change(self) -> Decimal:
        """New total minus old total (each side's own scale)."""
        return self.new.total - self.old.total

    @property
    def renamed(self) -> bool:
        return self.old.name != self.new.name

    @property
    def level_changed(self) -> bool:
        return self.old.level != self.new.level


@dataclass(frozen=True, slots=True)
class CriterionRef:
    """A criterion id with the title it has on its side."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """What comparing two sides gave."""

    agencies: tuple[AgencyChange, ...]
    only_old: tuple[Result, ...]
    only_new: tuple[Result, ...]
    old_sets: tuple[str, ...]  # criteria sets used on each side
    new_sets: tuple[str, ...]
    criteria_only_old: tuple[CriterionRef, ...]
    criteria_only_new: tuple[CriterionRef, ...]
    old_periods: tuple[str, ...]
    new_periods: tuple[str, ...]
    warnings: tuple[Diagnostic, ...] = field(default=())

    @property
    def sets_differ(self) -> bool:
        """Both sides have results and they use different criteria sets."""
        return bool(self.old_sets and self.new_sets) and self.old_sets != self.new_sets

    @property
    def labels(self) -> tuple[str, str]:
        """How the two sides are named in reports: their periods (``2020``, ``2021``), else "kỳ
        trước" and "kỳ sau"; "trước" and "sau" when both have the same period (before and after
        a review)."""
        old = side_label(self.old_periods, "kỳ trước")
        new = side_label(self.new_periods, "kỳ sau")
        return ("trước", "sau") if old == new else (old, new)

    @property
    def old_label(self) -> str:
        return self.labels[0]

    @property
    def new_label(self) -> str:
        return self.labels[1]


def side_label(periods: Sequence[str], fallback: str) -> str:
    """A side's name in reports: its period when it has one (``2020``), else ``fallback``."""
    return periods[0] if len(periods) == 1 else fallback


def compare_results(old: Sequence[Result], new: Sequence[Result]) -> Comparison:
    """Match the agencies of two sides by code and say what changed.

    Each side keeps its own totals, bands and ranks (as the score pipeline ranked them, within
    criteria set, period and level). An agency with more than one result on a side (two periods
    in one folder) is matched by its first result there, and the others are named in a warning.
    Agencies are listed by new level (in the order the new side lists levels), new rank, code.
    """
    warnings: list[Diagnostic] = []
    old_by = _by_agency(old, "cũ", warnings)
    new_by = _by_agency(new, "mới", warnings)
    matched: list[AgencyChange] = []
    for key, n in new_by.items():
        o = old_by.get(key)
        if o is not None:
            matched.append(AgencyChange(n.agency_code, _standing(o), _standing(n), criteria_changes(o, n)))
    level_order = {r.level: k for k, r in reversed(list(enumerate(new)))}
    matched.sort(key=lambda a: (level_order.get(a.level, 99), a.new.rank or 0, agency_key(a.code)))
    # a side without results (all its files invalid) has no criteria to compare with
    old_ids, new_ids = (_criteria_ids(old), _criteria_ids(new)) if old and new else ({}, {})
    return Comparison(
        agencies=tuple(matched),
        only_old=tuple(r for k, r in old_by.items() if k not in new_by),
        only_new=tuple(r for k, r in new_by.items() if k not in old_by),
        old_sets=_unique(r.criteria for r in old),
        new_sets=_unique(r.criteria for r in new),
        criteria_only_old=tuple(CriterionRef(i, t) for i, t in old_ids.items() if i not in new_ids),
        criteria_only_new=tuple(CriterionRef(i, t) for i, t in new_ids.items() if i not in old_ids),
        old_periods=_unique(r.period for r in old),
        new_periods=_unique(r.period for r in new),
        warnings=tuple(warnings),
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _by_agency(results: Sequence[Result], side: str, warnings: list[Diagnostic]) -> dict[str, Result]:
    out: dict[str, Result] = {}
    for r in results:
        key = agency_key(r.agency_code)
        first = out.get(key)
        if first is None:
            out[key] = r
            continue
        warnings.append(
            Diagnostic(
                file=r.file,
                message=f"cơ quan `{r.agency_code}` đã có kết quả ở phía {side} (kỳ {first.period}, bộ tiêu chí "
                f"`{first.criteria}`, tệp {first.file}); so sánh dùng kết quả đó, bỏ qua tệp này",
                severity=Severity.WARNING,
                path="agency.code",
            )
        )
    return out


def _standing(r: Result) -> Standing:
    return Standing(r.total, r.band, r.rank, r.agency_name, r.level, r.criteria, r.period, r.file)


def _criteria_ids(results: Sequence[Result]) -> dict[str, str]:
    """Every leaf id the side's results know, in the order first met, with its title."""
    out: dict[str, str] = {}
    seen_sets: set[str] = set()
    for r in results:
        if r.criteria in seen_sets:
            continue  # one result per set lists every leaf of it
        seen_sets.add(r.criteria)
        for d in r.details:
            out.setdefault(d.id, d.title)
    return out


def _points(d: CriterionResult) -> Decimal | None:
    return d.final if d.applicable else None


def criteria_changes(old: Result, new: Result) -> tuple[CriterionChange, ...]:
    """The criteria of both results (matched by id) whose points changed, the largest change
    first (by size, then the criterion's order on the new side)."""
    before = {d.id: d for d in old.details}
    changes: list[tuple[int, CriterionChange]] = []
    for k, d in enumerate(new.details):
        o = before.get(d.id)
        if o is None:
            continue
        c = CriterionChange(d.id, d.title, d.kind, _points(o), _points(d), o.max, d.max)
        if c.old != c.new:
            changes.append((k, c))
    changes.sort(key=lambda kc: (-abs(kc[1].change), kc[0]))
    return tuple(c for _, c in changes)


# ---------------------------------------------------------------------------
# Self against team (tự chấm so với thẩm định)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionGap:
    """One criterion across agencies: how many scored themselves above the team, and the mean
    gap (self − team, in the agency's favour) over the agencies the team scored on it."""

    id: str
    title: str
    agencies_above: int
    compared: int
    mean_gap: Decimal


@dataclass(frozen=True, slots=True)
class AgencyGap:
    """One agency: its self total minus its final total (positive: it scored itself higher)."""

    code: str
    name: str
    level: str
    self_total: Decimal
    total: Decimal

    @property
    def gap(self) -> Decimal:
        return self.self_total - self.total


@dataclass(frozen=True, slots=True)
class SelfTeam:
    criteria: tuple[CriterionGap, ...]
    agencies: tuple[AgencyGap, ...]


def favourable_gap(d: CriterionResult) -> Decimal | None:
    """Self minus team on one applicable criterion, in the agency's favour: for a penalty
    (điểm trừ) declaring fewer points than the team found is the generous side. None when the
    team did not score it or it does not apply."""
    if not d.applicable or d.team is None or d.self_points is None:
        return None
    gap = d.self_points - d.team
    return -gap if d.kind == "penalty" else gap


def mean(values: Sequence[Decimal]) -> Decimal:
    """The exact mean, rounded half-up to 2 decimals (0 for no values)."""
    if not values:
        return ZERO
    exact = sum((Fraction(v) for v in values), Fraction(0)) / len(values)
    # floor(|x| × 100 + 1/2) with the sign put back: half-up away from zero, as Decimal's ROUND_HALF_UP
    cents = (200 * abs(exact.numerator) + exact.denominator) // (2 * exact.denominator)
    return Decimal(cents if exact >= 0 else -cents).scaleb(-2)


def self_team_gaps(results: Sequence[Result]) -> SelfTeam:
    """Per criterion (matched by id across agencies) and per agency, where self-assessment is
    above the team's: criteria by mean gap (largest first), then agencies above, then id;
    agencies by gap, largest first, then code."""
    gaps: dict[str, list[Decimal]] = {}
    titles: dict[str, str] = {}
    for r in results:
        for d in r.details:
            gap = favourable_gap(d)
            titles.setdefault(d.id, d.title)
            if gap is not None:
                gaps.setdefault(d.id, []).append(gap)
    order = {cid: k for k, cid in enumerate(titles)}
    criteria = [
        CriterionGap(cid, titles[cid], sum(1 for g in values if g > 0), len(values), mean(values))
        for cid, values in gaps.items()
    ]
    criteria.sort(key=lambda c: (-c.mean_gap, -c.agencies_above, order[c.id]))
    agencies = [AgencyGap(r.agency_code, r.agency_name, r.level, r.self_total, r.total) for r in results]
    agencies.sort(key=lambda a: (-a.gap, agency_key(a.code)))
    return SelfTeam(tuple(criteria), tuple(agencies))

"""How one criterion's input becomes points (SPEC §3, §3b): fixed points as given, a measured
value through its table or ``full_at``, a count through ``per``; a condition has no points.

Two forms of each rule: :func:`points_of` for scoring (no text, it runs for every leaf of every
file) and :func:`explain_points` for ``--explain`` (the same arithmetic, said in Vietnamese).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from isoprov.core.rounding import round_ratio
from isoprov.core.vietnamese import format_number
from isoprov.scoring.criteria import Criterion
from isoprov.scoring.measure import (
    Counts,
    EntryValue,
    Measure,
    Ratio,
    as_decimal,
    measured_value,
    show,
    unit_suffix,
)

ZERO = Decimal(0)

#: Points: a ``Decimal``, or a ``Fraction`` when a proportion does not end (4 × 2/3).
Exact = Decimal | Fraction


def points_of(c: Criterion, raw: EntryValue) -> Exact:
    """The points an input gives on criterion ``c`` (an input already checked against ``c``)."""
    if c.measure is not None:
        return _measured(c.measure, c.max or ZERO, raw)
    if c.per is not None:
        assert isinstance(raw, Decimal)
        return _counted(c.per, c.max or ZERO, raw)
    if raw.__class__ is bool or raw.__class__ is Ratio or raw.__class__ is Counts:  # no points
        return ZERO
    return raw  # type: ignore[return-value]


# Speed: a measured value is compared and scaled as an integer ratio (numerator, denominator):
# `Fraction` arithmetic costs ten times as much, and this runs for every measured criterion of
# every file. A result is a `Fraction` only when it does not end and is not rounded.


def _value_ratio(raw: EntryValue, percent: bool) -> tuple[int, int]:
    """The measured value as (numerator, denominator), denominator > 0."""
    if raw.__class__ is Ratio or raw.__class__ is Counts:
        assert isinstance(raw, Ratio | Counts)
        return int(raw.count) * (100 if percent else 1), int(raw.of)
    assert isinstance(raw, Decimal)
    return raw.as_integer_ratio()


def _measured(m: Measure, maximum: Decimal, raw: EntryValue) -> Exact:
    num, den = _value_ratio(raw, m.percent)
    if m.points is not None:
        points = _from_table(m, num, den)
        return points if m.round is None else m.round.apply(points)
    p, q = _proportion(m, maximum, num, den)
    if m.round is not None:
        return round_ratio(p, q, m.round.places, m.round.mode)
    return as_decimal(Fraction(p, q))


def _from_table(m: Measure, num: int, den: int) -> Decimal:
    """The points of the first row whose ``min`` ≤ num/den."""
    for min_num, min_den, points in m.thresholds:
        if num * min_den >= min_num * den:
            return points
    return ZERO


def _proportion(m: Measure, maximum: Decimal, num: int, den: int) -> tuple[int, int]:
    """max × min(value, full_at) / full_at as (numerator, denominator)."""
    full_num, full_den = m.full_ratio
    if num * full_den >= full_num * den:
        return maximum.as_integer_ratio()
    max_num, max_den = maximum.as_integer_ratio()
    return max_num * num * full_den, max_den * den * full_num


def _unrounded(m: Measure, maximum: Decimal, raw: EntryValue) -> Exact:
    num, den = _value_ratio(raw, m.percent)
    if m.points is not None:
        return _from_table(m, num, den)
    return as_decimal(Fraction(*_proportion(m, maximum, num, den)))


def _counted(per: Decimal, maximum: Decimal, count: Decimal) -> Decimal:
    product = per * count
    if per > 0:
        return product if product < maximum else maximum
    left = maximum + product
    return left if left > 0 else ZERO


def explain_points(c: Criterion, raw: EntryValue) -> str:
    """The rule that turned ``raw`` into points, with the numbers: "bảng mức: ≥ 95 % được 4 điểm"."""
    maximum = c.max or ZERO
    if c.measure is not None:
        assert not isinstance(raw, bool)
        m = c.measure
        value = measured_value(raw, m)
        if m.points is not None:
            row = next((r for r in m.points if value >= r.min), None)
            if row is None:
                text = "dưới mọi mức của bảng: 0 điểm"
            else:
                text = f"bảng mức: ≥ {format_number(row.min)}{unit_suffix(m)} được {format_number(row.points)} điểm"
        else:
            assert m.full_at is not None
            full = format_number(m.full_at)
            unrounded = _unrounded(m, maximum, raw)
            text = f"{format_number(maximum)} × min({show(value)}; {full}) / {full} = {show(unrounded)}"
        if m.round is not None:
            text += f"; {m.round.describe()}: {show(_measured(m, maximum, raw))}"
        return text
    if c.per is not None:
        assert isinstance(raw, Decimal)
        per, count = c.per, raw
        product = per * count
        if per > 0:
            text = f"{format_number(per)} điểm/lần × {format_number(count)} lần = {format_number(product)}"
            if product > maximum:
                text += f", tối đa {format_number(maximum)}"
            return text
        left = maximum + product
        text = (
            f"{format_number(maximum)} − {format_number(-per)} điểm/lần × {format_number(count)} lần"
            f" = {format_number(left)}"
        )
        if left < 0:
            text += ", không dưới 0"
        return text
    if c.kind == "condition":
        return "điều kiện, không tính điểm"
    return "điểm chấm trực tiếp"

"""How one criterion's input becomes points (SPEC §3, §3b): fixed points as given, a measured
value through its table or ``full_at``, a count through ``per``; a condition has no points.

Two forms of each rule: :func:`points_of` for scoring (no text, it runs for every leaf of every
file) and :func:`explain_points` for ``--explain`` (the same arithmetic, said in Vietnamese).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from isoprov.core.vietnamese import format_number
from isoprov.scoring.criteria import Criterion
from isoprov.scoring.measure import EntryValue, Measure, Ratio, as_decimal, measured_value, show, unit_suffix

ZERO = Decimal(0)

#: Points: a ``Decimal``, or a ``Fraction`` when a proportion does not end (4 × 2/3).
Exact = Decimal | Fraction


def points_of(c: Criterion, raw: EntryValue) -> Exact:
    """The points an input gives on criterion ``c`` (an input already checked against ``c``)."""
    if c.measure is not None:
        assert not isinstance(raw, bool)
        return _measured(c.measure, c.max or ZERO, measured_value(raw, c.measure))
    if c.per is not None:
        assert isinstance(raw, Decimal) and not isinstance(raw, bool)
        return _counted(c.per, c.max or ZERO, raw)
    if isinstance(raw, bool | Ratio):  # a condition: no points
        return ZERO
    return raw


def _measured(m: Measure, maximum: Decimal, value: Exact) -> Exact:
    points = _unrounded(m, maximum, value)
    return points if m.round is None else m.round.apply(points)


def _unrounded(m: Measure, maximum: Decimal, value: Exact) -> Exact:
    if m.points is not None:
        return next((row.points for row in m.points if value >= row.min), ZERO)
    assert m.full_at is not None
    capped = value if value < m.full_at else m.full_at
    return as_decimal(Fraction(maximum) * Fraction(capped) / Fraction(m.full_at))


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
            unrounded = _unrounded(m, maximum, value)
            text = f"{format_number(maximum)} × min({show(value)}; {full}) / {full} = {show(unrounded)}"
        if m.round is not None:
            text += f"; {m.round.describe()}: {show(_measured(m, maximum, value))}"
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

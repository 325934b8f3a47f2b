"""The rules of SPEC §3b as Excel formulas, shared by the form and the score export: a measured
or counted criterion's points, the weighted total with its ceiling and rounding mode, bands with
requirements, ranks with a tie-break.

Excel computes in binary floating point where isoprov is exact, so every comparison a rule makes
on a computed figure allows for the float's last digits (:data:`EPSILON`, far below any points a
person writes), and a value from two counts is computed as count × 100 / of (multiplying first
keeps 190 × 100 / 200 exactly 95). Rounding "half-even" and "down" first clean the float to 9
decimals, so that 84,94 stored as 84,93999… is not truncated to 84,93.
"""

from __future__ import annotations

from collections.abc import Sequence

from isoprov.core.jsonout import plain_decimal
from isoprov.excel.cells import formula_string
from isoprov.scoring.criteria import Band, Criterion
from isoprov.scoring.measure import Measure, RoundRule

#: Allowance for Excel's binary floats in the comparisons a rule makes (value ≥ threshold).
EPSILON = "1E-9"


def round_formula(expr: str, rounding: RoundRule) -> str:
    """``expr`` rounded as ``rounding`` says, as an Excel expression (for values ≥ 0)."""
    p = rounding.places
    if rounding.mode == "half-up":
        return f"ROUND({expr},{p})"
    if rounding.mode == "down":
        return f"ROUNDDOWN(ROUND({expr},9),{p})"
    # half-even: a value exactly half-way (after cleaning the float) goes to the even neighbour
    scaled = f"ROUND(({expr})*10^{p},6)"
    return f"IF({scaled}-INT({scaled})=0.5,(INT({scaled})+MOD(INT({scaled}),2))/10^{p},ROUND({expr},{p}))"


def measured_value(value: str, count: str | None, of: str | None, measure: Measure) -> str:
    """The measured value: count × 100 / of (× 1 for another unit) when both counts are numbers,
    else the value cell."""
    if count is None or of is None:
        return f"N({value})"
    factor = "*100" if measure.percent else ""
    return f"IF(AND(ISNUMBER({count}),ISNUMBER({of}),N({of})>0),{count}{factor}/{of},N({value}))"


def measured_points(value: str, c: Criterion) -> str:
    """A measured criterion's points from its value (an expression), as the set says."""
    m = c.measure
    assert m is not None and c.max is not None
    if m.points is not None:
        points = "0"
        for row in reversed(m.points):
            points = f"IF({value}>={plain_decimal(row.min)}-{EPSILON},{plain_decimal(row.points)},{points})"
    else:
        assert m.full_at is not None
        full = plain_decimal(m.full_at)
        points = f"{plain_decimal(c.max)}*MIN({value},{full})/{full}"
    return points if m.round is None else round_formula(points, m.round)


def counted_points(count: str, c: Criterion) -> str:
    """A counted criterion's points from its count (an expression)."""
    assert c.per is not None and c.max is not None
    per, maximum = plain_decimal(c.per), plain_decimal(c.max)
    if c.per > 0:
        return f"MIN({maximum},{per}*{count})"
    return f"MAX(0,{maximum}+({per})*{count})"


def unrounded_total(earned: str, possible: str, bonus: str, penalty: str, scale: str, ceiling: str) -> str:
    """clamp(earned / possible × scale + bonus − penalty, 0, ceiling), not rounded (SPEC §3b)."""
    return f"MAX(0,MIN({ceiling},IF({possible}>0,{earned}/{possible}*{scale},0)+{bonus}-{penalty}))"


def band_formula(total: str, bands: Sequence[Band] | None, requirements: Sequence[Sequence[str]]) -> str:
    """The first band from the top whose ``min`` ≤ ``total`` and whose requirements (Excel
    conditions, one list per band) all hold; empty text for a set without bands."""
    if not bands:
        return '=""'
    band = f'"{formula_string(bands[-1].label)}"'
    for b, needs in reversed(list(zip(bands[:-1], requirements[:-1], strict=True))):
        test = f"{total}>={plain_decimal(b.min)}"
        if needs:
            test = f"AND({test},{','.join(needs)})"
        band = f'IF({test},"{formula_string(b.label)}",{band})'
    return "=" + band


def share_at_least(earned: str, possible: str, percent: str) -> str:
    """earned ≥ percent % of possible (true when nothing is possible)."""
    return f"OR({possible}<=0,{earned}>={percent}/100*{possible}-{EPSILON})"


def tie_break_rank(row: int, total: str, keys: Sequence[str], first: int, last: int) -> str:
    """Competition rank within rows ``first``..``last`` on the column ``total``, then each tie-break
    key column in turn (higher first): 1 + how many rows are strictly ahead."""
    ahead = [f"({total}${first}:{total}${last}>{total}{row})"]
    same = [f"({total}${first}:{total}${last}={total}{row})"]
    for key in keys:
        ahead.append("*".join([*same, f"({key}${first}:{key}${last}>{key}{row})"]))
        same.append(f"({key}${first}:{key}${last}={key}{row})")
    return "=1+" + "+".join(f"SUMPRODUCT({a}*1)" for a in ahead)
